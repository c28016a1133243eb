/**
 * Reports: collect sales metrics per region and render them into a report.
 *
 * Deterministic simulation (no warehouse): figures follow from region and period.
 * A region's data is stale when its last load lags more than 24 hours; in this
 * simulation the lag is derived from the region name (e.g. `apac` is stale).
 */
import { defineActivity } from '../../src/activities/types.js';
import { stableId, stableInt } from './simulation.js';

export const collectMetrics = defineActivity({
  name: 'reports.collectMetrics',
  description: 'Aggregates orders and revenue of one region over a period.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['region', 'period'],
    properties: {
      region: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
      period: { enum: ['previous-day', 'previous-week'] },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['region', 'period', 'orders', 'revenue', 'currency', 'lagHours', 'stale'],
    properties: {
      region: { type: 'string' },
      period: { type: 'string' },
      orders: { type: 'integer' },
      revenue: { type: 'number' },
      currency: { const: 'EUR' },
      lagHours: { type: 'integer', description: 'Hours since the region data was last loaded.' },
      stale: { type: 'boolean', description: 'lagHours > 24.' },
    },
  } as const,
  defaults: { timeout: '10m', heartbeat: '1m' },
  async run({ region, period }, context) {
    context.heartbeat({ region });
    const days = period === 'previous-week' ? 7 : 1;
    const orders = stableInt(`${region}|orders`, 120, 900) * days;
    const revenue = Math.round(orders * stableInt(`${region}|basket`, 2500, 9000)) / 100;
    const lagHours = region === 'apac' ? 31 : stableInt(`${region}|lag`, 1, 20);
    return { region, period, orders, revenue, currency: 'EUR' as const, lagHours, stale: lagHours > 24 };
  },
});

export const render = defineActivity({
  name: 'reports.render',
  description: 'Renders region metrics into a report document and stores it.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['title', 'sections'],
    properties: {
      title: { type: 'string' },
      sections: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['region', 'orders', 'revenue'],
          properties: { region: { type: 'string' }, orders: { type: 'integer' }, revenue: { type: 'number' }, stale: { type: 'boolean' } },
        },
      },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['reportId', 'url', 'summary', 'totalRevenue'],
    properties: { reportId: { type: 'string' }, url: { type: 'string' }, summary: { type: 'string' }, totalRevenue: { type: 'number' } },
  } as const,
  defaults: { timeout: '5m' },
  async run({ title, sections }) {
    const totalRevenue = Math.round(sections.reduce((sum, s) => sum + s.revenue, 0) * 100) / 100;
    const reportId = stableId('rpt', `${title}|${JSON.stringify(sections)}`);
    const lines = sections.map((s) => `${s.region}: ${s.orders} orders, ${s.revenue.toFixed(2)} EUR${s.stale ? ' (stale data)' : ''}`);
    return {
      reportId,
      url: `https://reports.example.com/r/${reportId}`,
      summary: [title, ...lines, `total: ${totalRevenue.toFixed(2)} EUR`].join('\n'),
      totalRevenue,
    };
  },
});
