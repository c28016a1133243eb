/**
 * Inventory: reserve stock for an order and release a reservation.
 *
 * Deterministic simulation (no warehouse system): a SKU starting with `OOS-` is out
 * of stock (OutOfStock, never retried); the warehouse is chosen from the order id.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableId, stableInt } from './simulation.js';

const WAREHOUSES = ['ams-1', 'fra-2', 'dub-1'] as const;

export const reserve = defineActivity({
  name: 'inventory.reserve',
  description: 'Reserves stock for every line of an order in one warehouse. Idempotent per orderId.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'items'],
    properties: {
      orderId: { type: 'string', minLength: 1 },
      items: {
        type: 'array',
        minItems: 1,
        description: 'Order lines; fields other than sku and quantity (e.g. unitPrice) are ignored.',
        items: {
          type: 'object',
          required: ['sku', 'quantity'],
          properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
        },
      },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['reservationId', 'warehouse', 'units'],
    properties: {
      reservationId: { type: 'string' },
      warehouse: { enum: WAREHOUSES },
      units: { type: 'integer', description: 'Total units reserved.' },
    },
  } as const,
  defaults: { timeout: '20s' },
  async run({ orderId, items }) {
    const missing = items.filter((line) => line.sku.startsWith('OOS-')).map((line) => line.sku);
    if (missing.length > 0) {
      throw new WorkflowError('OutOfStock', `out of stock: ${missing.join(', ')}`, { nonRetryable: true, details: { skus: missing } });
    }
    return {
      reservationId: stableId('res', orderId),
      warehouse: WAREHOUSES[stableInt(orderId, 0, WAREHOUSES.length - 1)]!,
      units: items.reduce((sum, line) => sum + line.quantity, 0),
    };
  },
});

export const release = defineActivity({
  name: 'inventory.release',
  description: 'Compensation for inventory.reserve: returns the reserved stock. Releasing twice is harmless.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['reservationId'],
    properties: { reservationId: { type: 'string', pattern: '^res_' }, reason: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['reservationId', 'released'],
    properties: { reservationId: { type: 'string' }, released: { type: 'boolean' } },
  } as const,
  async run({ reservationId }) {
    return { reservationId, released: true };
  },
});
