/**
 * Runs every example in definitions/ with the input files a new user passes to
 * `revo run definitions/<name>.yaml --input-file definitions/inputs/<name>[.<case>].json`,
 * in process: the local engine with no run store and a virtual clock (a two-day wait
 * costs nothing), the activities of definitions/activities/index.ts plus the
 * built-ins. Each input file's real outcome is checked: status, output, retried
 * attempts, compensations, children, and the time the run took on the virtual clock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundle } from '../interpreter/bundle.js';
import type { HistoryEvent, StepKey } from '../interpreter/history.js';
import type { Json } from '../interpreter/model.js';
import type { RunOutcome } from '../interpreter/run.js';
import { loadActivities } from '../src/activities/catalog.js';
import type { ActivityDefinition, Catalog } from '../src/activities/types.js';
import type { RunRecord, StepRecord } from '../src/history/record.js';
import { buildBundle } from '../src/load/bundle.js';
import { WorkflowSet } from '../src/load/workflow-set.js';
import { VirtualClock } from '../src/local/clock.js';
import { InvalidRunInput, InvalidSignal, LocalEngine, type LocalRun } from '../src/local/engine.js';

const ROOT = join(import.meta.dirname, '..');
const DEFINITIONS = join(ROOT, 'definitions');
const INPUTS = join(DEFINITIONS, 'inputs');
const ACTIVITIES = join(DEFINITIONS, 'activities', 'index.ts');
const EXPORT_API = pathToFileURL(join(DEFINITIONS, 'export-api.mjs')).href;

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

const WORKFLOWS = readdirSync(DEFINITIONS)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();
const INPUT_FILES = readdirSync(INPUTS)
  .filter((f) => f.endsWith('.json'))
  .sort();
const workflowOf = (inputFile: string): string => inputFile.split('.')[0]!;
const readInput = (inputFile: string): Json => JSON.parse(readFileSync(join(INPUTS, inputFile), 'utf8')) as Json;

let activities: Map<string, ActivityDefinition>;
let catalog: Catalog;
const bundles = new Map<string, WorkflowBundle>();

beforeAll(async () => {
  const loaded = await loadActivities({ activities: [ACTIVITIES] });
  activities = new Map(loaded.definitions.map((d) => [d.name, d]));
  catalog = loaded.catalog;
});

/** The bundle of definitions/<name>.yaml, loaded as `revo run` loads it: the file, plus the files it references by path. */
async function bundleOf(name: string): Promise<WorkflowBundle> {
  const cached = bundles.get(name);
  if (cached) return cached;
  const file = join(DEFINITIONS, `${name}.yaml`);
  // nightly-sales-report names its child `data-sync` (not `./data-sync.yaml`), so the
  // file alone does not bundle: `revo run definitions/nightly-sales-report.yaml` refuses
  // it (child-workflow: "data-sync is not the name of any workflow being validated").
  // Loading data-sync.yaml beside it, as `revo validate definitions/` does, lets it run here.
  const extra = name === 'nightly-sales-report' ? [join(DEFINITIONS, 'data-sync.yaml')] : [];
  const set = await WorkflowSet.load([file, ...extra]);
  const loaded = set.files().find((f) => f.file === file);
  if (!loaded?.definition) throw new Error(`cannot load ${file}`);
  const bundle = buildBundle(loaded, set, catalog);
  bundles.set(name, bundle);
  return bundle;
}

interface Result {
  run: LocalRun;
  outcome: RunOutcome;
  record: RunRecord;
  /** Child runs, in the order they started. */
  children: LocalRun[];
  /** Run time on the virtual clock. */
  elapsedMs: number;
  /** Output of a completed run (fails the test otherwise). */
  output: Record<string, unknown>;
}

/** Signals to send, by the key of the wait step they answer (sent as soon as that wait starts). */
type Signals = Record<StepKey, { name: string; payload: Json }>;

/** Runs one workflow to its end (children included) on a fresh engine with a virtual clock. */
async function runWorkflow(name: string, input: Json, signals: Signals = {}): Promise<Result> {
  const bundle = await bundleOf(name);
  const sent = new Set<string>();
  const engine = new LocalEngine({
    activities,
    store: null,
    clock: new VirtualClock(),
    onEvent: (run: LocalRun, event: HistoryEvent) => {
      if (event.type !== 'step.started' || event.kind !== 'wait') return;
      const signal = signals[event.key];
      if (!signal || run.request.bundle !== bundle) return;
      sent.add(event.key);
      // Once the wait is under way, before the virtual clock can run its timeout out.
      queueMicrotask(() => run.signal(signal.name, signal.payload));
    },
  });
  const run = engine.start({ bundle, input });
  const outcome = await run.done;
  await Promise.all([...engine.runs.values()].map((r) => r.done));
  expect([...sent].sort(), 'every planned signal was sent').toEqual(Object.keys(signals).sort());
  const record = run.record;
  return {
    run,
    outcome,
    record,
    children: [...engine.runs.values()].filter((r) => r !== run),
    elapsedMs: Date.parse(record.endedAt!) - Date.parse(record.startedAt!),
    get output() {
      expect(outcome, 'the run completed').toMatchObject({ status: 'completed' });
      return outcome.output as Record<string, unknown>;
    },
  };
}

function step(record: RunRecord, key: StepKey): StepRecord {
  const found = record.steps.find((s) => s.key === key);
  if (!found) throw new Error(`no step ${key} in run ${record.runId}; steps: ${record.steps.map((s) => s.key).join(', ')}`);
  return found;
}

const has = (record: RunRecord, key: StepKey): boolean => record.steps.some((s) => s.key === key);

/** The error types of the attempts of a step that failed and were retried (or gave up). */
const failedAttempts = (record: RunRecord, key: StepKey): string[] => (step(record, key).failedAttempts ?? []).map((f) => f.error.type);

// ---------------------------------------------------------------------------------
// What each input file must do. Every file in definitions/inputs/ needs an entry.

interface Expectation {
  /** Signals to send while the run waits. */
  signals?: Signals;
  /** Needs the demo export API: the input's baseUrl is replaced with its address. */
  exportApi?: true;
  check(result: Result): void | Promise<void>;
}

const approve = (payload: Json): { name: string; payload: Json } => ({ name: 'approve', payload });

const EXPECTATIONS: Record<string, Expectation> = {
  // ----- subscription-renewal
  'subscription-renewal.json': {
    check({ output, record }) {
      expect(output).toEqual({
        renewed: true,
        subscriptionId: 'sub_northwind_2291',
        chargeId: expect.stringMatching(/^ch_/),
        amount: 27, // 3 months of the 9 EUR starter plan
        periodEnd: '2027-03-11',
        receiptSent: true,
      });
      expect(step(record, 'charge').attempts).toBe(1);
      expect(record.compensations).toEqual([]);
    },
  },
  'subscription-renewal.declined.json': {
    check({ output, record }) {
      expect(output).toEqual({ renewed: false, subscriptionId: 'sub_declined_contoso_1187', reason: 'CardDeclined' });
      // A decline is final: one attempt, caught, so no refund saga.
      expect(step(record, 'charge')).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'CardDeclined' } });
      expect(step(record, 'markPastDue').output).toMatchObject({ status: 'past_due', graceDays: 7 });
      expect(step(record, 'tellCustomer').input).toMatchObject({ template: 'payment-failed', data: { reason: 'CardDeclined' } });
      expect(has(record, 'extend')).toBe(false);
      expect(record.compensations).toEqual([]);
    },
  },
  'subscription-renewal.locked.json': {
    check({ outcome, record }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'Conflict', step: 'extend' } });
      expect(step(record, 'extend').attempts).toBe(1); // Conflict is not retried
      // The card was charged before extending failed: the charge is refunded.
      expect(record.compensations).toEqual(['charge']);
      expect(step(record, 'charge')).toMatchObject({ status: 'compensated', compensation: { status: 'completed' } });
      const charged = step(record, 'charge').output as { chargeId: string; amount: number };
      expect(step(record, 'charge~/refund')).toMatchObject({ status: 'completed', input: { chargeId: charged.chargeId, amount: charged.amount } });
      expect(record.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Renewal undone, charge refunded' }));
      expect(has(record, 'extend~/revert')).toBe(false); // the extension never happened
    },
  },
  'subscription-renewal.cancelled.json': {
    check({ output, record }) {
      expect(output).toEqual({ renewed: false, subscriptionId: 'sub_cancelled_tailspin_0042', reason: 'subscription is cancelled' });
      expect(has(record, 'charge')).toBe(false);
    },
  },
  'subscription-renewal.bounce.json': {
    check({ output, record }) {
      // A receipt that bounces does not undo a paid renewal.
      expect(output).toMatchObject({ renewed: true, amount: 108, periodEnd: '2027-12-27', receiptSent: false });
      expect(step(record, 'sendReceipt')).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'Bounced' } });
      expect(record.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Receipt not sent to bounce_wingtip_7720@bounce.test: Bounced' }));
      expect(record.compensations).toEqual([]);
    },
  },

  // ----- order-fulfilment (and its shipping child)
  'order-fulfilment.json': {
    check({ output, record, children, elapsedMs }) {
      expect(output).toEqual({
        orderId: 'ORD-2026-10427',
        status: 'shipped',
        total: 49.85, // 2 × 14.50 + 3 × 6.95
        chargeId: expect.stringMatching(/^ch_/),
        warehouse: 'ams-1',
        carrier: 'swiftpost',
        trackingNumber: expect.stringMatching(/^SW\d+$/),
      });
      expect(step(record, 'charge').attempts).toBe(1);
      expect(step(record, 'sendShipped').input).toMatchObject({ to: 'sanne.devries@example.com', template: 'order-shipped' });
      expect(record.compensations).toEqual([]);
      expect(children).toHaveLength(1);
      const shipping = children[0]!;
      expect(shipping.workflowId).toBe('shipping-ORD-2026-10427');
      expect(shipping.record.status).toBe('completed');
      // swiftpost throttles the first booking attempt; the retry 2 s later succeeds.
      expect(step(shipping.record, 'book').attempts).toBe(2);
      expect(failedAttempts(shipping.record, 'book')).toEqual(['RateLimited']);
      expect(elapsedMs).toBe(2 * SECOND);
    },
  },
  'order-fulfilment.card-retry.json': {
    check({ output, record, elapsedMs }) {
      expect(output).toMatchObject({ orderId: 'ORD-2026-10431', status: 'shipped', total: 39.9, carrier: 'parcelco' });
      // Card ending 0119: the provider is down twice, the third attempt (the last allowed) succeeds.
      expect(step(record, 'charge').attempts).toBe(3);
      expect(failedAttempts(record, 'charge')).toEqual(['Transient', 'Transient']);
      expect(elapsedMs).toBe(1 * SECOND + 2 * SECOND); // backoff 1 s, then 2 s
      expect(record.compensations).toEqual([]);
    },
  },
  'order-fulfilment.declined.json': {
    check({ outcome, record, children }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'CardDeclined', step: 'charge' } });
      expect(step(record, 'charge').attempts).toBe(1);
      // The stock reserved in parallel is released.
      expect(record.compensations).toEqual(['reserve']);
      expect(step(record, 'reserve~/release').status).toBe('completed');
      expect(has(record, 'ship')).toBe(false);
      expect(children).toEqual([]);
    },
  },
  'order-fulfilment.out-of-stock.json': {
    check({ outcome, record, children }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'OutOfStock', step: 'reserve', details: { skus: ['OOS-TEAPOT-CAST-IRON'] } } });
      expect(step(record, 'reserve').attempts).toBe(1); // not in retryOn
      // The card charged in parallel is refunded.
      expect(record.compensations).toEqual(['charge']);
      expect(step(record, 'charge~/refund')).toMatchObject({ status: 'completed', input: { amount: 73.5 } });
      expect(children).toEqual([]);
    },
  },
  'order-fulfilment.no-carrier.json': {
    check({ outcome, record, children }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'NoCarrier', step: 'ship' } });
      expect(children).toHaveLength(1);
      expect(children[0]!.record).toMatchObject({ status: 'failed', error: { type: 'NoCarrier', step: 'noCarrier' } });
      // Undone in reverse order: the reservation, then the charge.
      expect(record.compensations).toEqual(['reserve', 'charge']);
      expect(step(record, 'reserve~/release').status).toBe('completed');
      expect(step(record, 'charge~/refund').status).toBe('completed');
      expect(has(record, 'notify')).toBe(false);
    },
  },
  'order-fulfilment.address-rejected.json': {
    check({ outcome, record, children }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'AddressRejected', step: 'ship' } });
      const shipping = children[0]!.record;
      expect(step(shipping, 'book')).toMatchObject({ status: 'failed', attempts: 1, error: { type: 'AddressRejected' } });
      expect(shipping.compensations).toEqual([]); // no label was booked, nothing to void
      expect(record.compensations).toEqual(['reserve', 'charge']);
    },
  },
  'shipping.json': {
    check({ output, record }) {
      // A light parcel within the Benelux: parcelco is cheaper and books at once.
      expect(output).toEqual({
        carrier: 'parcelco',
        service: 'parcel',
        price: 6.31,
        estimatedDays: 3,
        labelId: expect.stringMatching(/^lbl_/),
        trackingNumber: expect.stringMatching(/^PA\d+$/),
        pickupWindow: expect.stringMatching(/^(morning|afternoon)$/),
      });
      expect(step(record, 'askParcelco').status).toBe('completed');
      expect(step(record, 'askSwiftpost').status).toBe('completed');
      expect(step(record, 'cheaper').status).toBe('completed');
      expect(step(record, 'book').attempts).toBe(1);
      expect(record.logs).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/^Order ORD-2026-10431 ships with parcelco, tracking PA\d+$/) }));
    },
  },
  'shipping.swiftpost.json': {
    check({ output, record, elapsedMs }) {
      // parcelco does not serve Ireland: only swiftpost quotes, and it throttles the first booking.
      expect(output).toMatchObject({ carrier: 'swiftpost', service: 'freight', estimatedDays: 2 });
      expect(step(record, 'askParcelco')).toMatchObject({ status: 'failed', error: { type: 'NoService' } });
      expect(step(record, 'onlySwiftpost').status).toBe('completed');
      expect(step(record, 'book').attempts).toBe(2);
      expect(failedAttempts(record, 'book')).toEqual(['RateLimited']);
      expect(elapsedMs).toBe(2 * SECOND);
    },
  },
  'shipping.no-carrier.json': {
    check({ outcome, record }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'NoCarrier', details: { orderId: 'ORD-2026-10442', country: 'JP' } } });
      expect(step(record, 'askParcelco').error?.type).toBe('NoService');
      expect(step(record, 'askSwiftpost').error?.type).toBe('NoService');
      expect(has(record, 'book')).toBe(false);
    },
  },

  // ----- customer-onboarding
  'customer-onboarding.json': {
    // Medium risk (outside the EEA): a reviewer approves while the run waits.
    signals: { 'reviewLoop#1/waitForDecision': approve({ decision: 'approved', by: 'amara.okafor', note: 'US entity verified' }) },
    check({ output, record, elapsedMs }) {
      expect(output).toEqual({ accountId: expect.stringMatching(/^acct_/), status: 'active', decision: 'approved', decidedBy: 'amara.okafor', remindersSent: 0 });
      expect(step(record, 'screen').output).toEqual({ risk: 'medium', reasons: ['country US is outside the EEA'] });
      expect(step(record, 'requestReview').input).toMatchObject({ template: 'review-requested', data: { queue: 'standard-review' } });
      expect(record.signals).toEqual([expect.objectContaining({ name: 'approve', payload: expect.objectContaining({ decision: 'approved' }) })]);
      expect(step(record, 'activate').input).toMatchObject({ approvedBy: 'amara.okafor' });
      // Business plan: the tips e-mail follows a week later.
      expect(step(record, 'tips').status).toBe('completed');
      expect(elapsedMs).toBe(7 * DAY);
    },
  },
  'customer-onboarding.auto-approved.json': {
    check({ output, record, elapsedMs }) {
      // EEA country and a company: low risk, no reviewer, no wait.
      expect(output).toMatchObject({ status: 'active', decision: 'approved', decidedBy: 'automatic-screening', remindersSent: 0 });
      expect(step(record, 'autoApprove').status).toBe('completed');
      expect(has(record, 'assignReviewer')).toBe(false);
      expect(record.steps.filter((s) => s.kind === 'wait')).toEqual([]);
      expect(elapsedMs).toBe(7 * DAY);
    },
  },
  'customer-onboarding.high-risk.json': {
    // A sanctioned country goes to enhanced due diligence; the reviewer rejects.
    signals: { 'reviewLoop#1/waitForDecision': approve({ decision: 'rejected', by: 'mei.tanaka', note: 'sanctions screening hit' }) },
    check({ output, record, elapsedMs }) {
      expect(output).toMatchObject({ status: 'closed', decision: 'rejected', decidedBy: 'mei.tanaka', remindersSent: 0 });
      expect(step(record, 'screen').output).toMatchObject({ risk: 'high' });
      expect(step(record, 'assignReviewer').output).toMatchObject({ queue: 'enhanced-due-diligence' });
      expect(step(record, 'close').input).toMatchObject({ reason: 'rejected by mei.tanaka' });
      expect(step(record, 'tellRejected').input).toMatchObject({ template: 'application-declined' });
      expect(has(record, 'activate')).toBe(false);
      expect(elapsedMs).toBe(0);
    },
  },
  'customer-onboarding.taken.json': {
    check({ outcome, record }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'Conflict', step: 'createAccount' } });
      expect(step(record, 'createAccount').attempts).toBe(1); // nonRetryable: [Conflict]
    },
  },

  // ----- data-sync
  'data-sync.json': {
    check({ output, record }) {
      // 25 contacts in 3 pages of 10; every fourth is inactive and filtered out by the source.
      expect(output).toEqual({ source: 'crm-contacts', target: 'analytics', pages: 3, written: 19, created: 5, updated: 8, unchanged: 6 });
      expect(step(record, 'pageLoop').decision).toEqual({ iterations: 3 });
      expect(step(record, 'pageLoop#1/writePage').decision).toEqual({ items: 8 });
      expect(step(record, 'pageLoop#1/checkpoint').status).toBe('completed');
      expect(step(record, 'pageLoop#3/checkpoint').status).toBe('skipped'); // the last page has no next cursor
      expect(step(record, 'unlock').status).toBe('completed');
      expect(record.logs).toContainEqual(expect.objectContaining({ message: 'Synced 19 contacts from crm-contacts to analytics in 3 page(s)' }));
    },
  },
  'data-sync.flaky.json': {
    check({ output, record, elapsedMs }) {
      expect(output).toMatchObject({ pages: 3, written: 19 });
      for (const page of [1, 2, 3]) {
        expect(step(record, `pageLoop#${page}/fetch`).attempts).toBe(2);
        expect(failedAttempts(record, `pageLoop#${page}/fetch`)).toEqual(['Transient']);
      }
      expect(elapsedMs).toBe(3 * SECOND);
    },
  },
  'data-sync.empty.json': {
    check({ output, record }) {
      expect(output).toMatchObject({ pages: 1, written: 0, created: 0, updated: 0, unchanged: 0 });
      expect(step(record, 'pageLoop#1/writePage').decision).toEqual({ items: 0 });
      expect(step(record, 'unlock').status).toBe('completed');
    },
  },
  'data-sync.busy.json': {
    check({ outcome, record }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'Conflict', step: 'lock' } });
      expect(step(record, 'lock').attempts).toBe(1); // not in retryOn
      // The lock was never taken, so there is nothing to release.
      expect(has(record, 'unlock')).toBe(false);
    },
  },

  // ----- report-export (against definitions/export-api.mjs)
  'report-export.json': {
    exportApi: true,
    async check({ output, record, elapsedMs }) {
      expect(output).toEqual({ jobId: expect.stringMatching(/^exp_\d+$/), downloadUrl: expect.stringMatching(/\/exports\/exp_\d+\/download$/), rows: expect.any(Number), polls: 3 });
      expect(step(record, 'startJob').output).toMatchObject({ status: 201, json: { status: 'queued', report: 'monthly-revenue', format: 'csv' } });
      expect(step(record, 'poll#1/update').status).toBe('completed');
      expect(step(record, 'poll').decision).toEqual({ iterations: 3 });
      expect(record.steps.filter((s) => s.id === 'getStatus').map((s) => s.attempts)).toEqual([1, 1, 1]);
      expect(elapsedMs).toBe(3 * SECOND); // three 1 s pauses
      const download = await fetch(output.downloadUrl as string);
      expect(download.status).toBe(200);
      expect(await download.text()).toMatch(/^row,report,value\n1,monthly-revenue,/);
    },
  },
  'report-export.flaky.json': {
    exportApi: true,
    check({ output, record, elapsedMs }) {
      expect(output).toMatchObject({ polls: 3, rows: expect.any(Number) });
      // The first status poll answers 503 (Transient) and is retried after 1 s.
      expect(step(record, 'poll#1/getStatus').attempts).toBe(2);
      expect(failedAttempts(record, 'poll#1/getStatus')).toEqual(['Transient']);
      expect(step(record, 'poll#2/getStatus').attempts).toBe(1);
      expect(elapsedMs).toBe(4 * SECOND);
    },
  },
  'report-export.failed.json': {
    exportApi: true,
    check({ outcome, record }) {
      expect(outcome).toMatchObject({
        status: 'failed',
        error: { type: 'ExportFailed', step: 'exportFailed', message: expect.stringMatching(/^export exp_\d+ failed: query for report "fail-churn-by-cohort" timed out/) },
      });
      expect(step(record, 'poll').decision).toEqual({ iterations: 3 });
      expect(has(record, 'ready')).toBe(false);
    },
  },

  // ----- research-agent
  'research-agent.json': {
    check({ output, record }) {
      expect(output).toEqual({ answer: 'The result is 161.97.', citations: expect.any(Array), turns: 3, exhausted: false });
      expect(output.citations).toHaveLength(3);
      expect(record.steps.filter((s) => s.id === 'plan').map((s) => (s.output as { tool: string }).tool)).toEqual(['search', 'calculator', 'finish']);
      expect(step(record, 'agentLoop#2/calculate').output).toEqual({ expression: '(3 * 49.99 + 12)', value: 161.97 });
    },
  },
  'research-agent.keep-digging.json': {
    check({ output, record }) {
      expect(output).toMatchObject({ turns: 4, exhausted: true, answer: expect.stringMatching(/^No final answer/) });
      expect(output.citations).toHaveLength(12); // 3 results × 4 searches
      expect(step(record, 'agentLoop').decision).toEqual({ iterations: 4 });
      expect(step(record, 'bestEffort').status).toBe('completed');
    },
  },
  'research-agent.oracle.json': {
    check({ outcome }) {
      expect(outcome).toMatchObject({ status: 'failed', error: { type: 'UnknownTool', step: 'unknownTool', details: { tool: 'oracle' } } });
    },
  },

  // ----- nightly-sales-report
  'nightly-sales-report.json': {
    check({ output, record, children, run }) {
      expect(output).toEqual({
        reportId: expect.stringMatching(/^rpt_/),
        url: expect.stringMatching(/^https:\/\/reports\.example\.com\/r\/rpt_/),
        totalRevenue: 144722.52,
        resyncs: [{ region: 'apac', workflowId: `resync-apac-${run.workflowId}` }],
      });
      expect(step(record, 'publish').status).toBe('skipped'); // no webhookUrl
      expect(record.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: 'Region apac is stale (31 h); re-sync #1 started' }));
      // The re-sync is fire-and-forget: it runs on as its own data-sync run.
      expect(children).toHaveLength(1);
      expect(children[0]!.workflowId).toBe(`resync-apac-${run.workflowId}`);
      expect(children[0]!.record).toMatchObject({ workflow: 'data-sync', status: 'completed', output: { source: 'warehouse-apac', target: 'analytics', pages: 1, written: 19 } });
    },
  },
  'nightly-sales-report.weekly.json': {
    check({ output, record, children }) {
      expect(output).toMatchObject({ totalRevenue: 772624.16, resyncs: [] });
      expect(step(record, 'render').input).toMatchObject({ title: 'Sales report (previous-week)' });
      expect(children).toEqual([]);
    },
  },
};

// ---------------------------------------------------------------------------------

interface ExportApi {
  url: string;
  close(): Promise<void>;
}

let exportApi: ExportApi | undefined;

beforeAll(async () => {
  const { startExportApi } = (await import(EXPORT_API)) as { startExportApi(options: { port: number }): Promise<ExportApi> };
  exportApi = await startExportApi({ port: 0 });
});

afterAll(async () => {
  await exportApi?.close();
});

describe('definitions/inputs/', () => {
  it('has a happy-path input for every workflow, and every input file names a workflow', () => {
    for (const name of WORKFLOWS) expect(INPUT_FILES, name).toContain(`${name}.json`);
    for (const file of INPUT_FILES) expect(WORKFLOWS, file).toContain(workflowOf(file));
    expect(WORKFLOWS).toHaveLength(8);
  });

  it('has an expectation in this test for every input file', () => {
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(INPUT_FILES);
  });

  it.each(INPUT_FILES)('%s is valid against the input schema of its workflow', async (file) => {
    const schema = (await bundleOf(workflowOf(file))).definition.input;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema as object);
    const valid = validate(readInput(file));
    expect(validate.errors ?? [], file).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the engine refuses an input that does not match (as `revo run` does)', async () => {
    const bundle = await bundleOf('order-fulfilment');
    const engine = new LocalEngine({ activities, store: null, clock: new VirtualClock() });
    const input = { ...(readInput('order-fulfilment.json') as Record<string, Json>), coupon: 'SPRING' };
    expect(() => engine.start({ bundle, input })).toThrow(InvalidRunInput);
  });
});

describe.each(WORKFLOWS)('%s', (name) => {
  const files = INPUT_FILES.filter((f) => workflowOf(f) === name);

  it.each(files)('runs %s', async (file) => {
    const expectation = EXPECTATIONS[file];
    if (!expectation) throw new Error(`no expectation for ${file}`);
    let input = readInput(file);
    if (expectation.exportApi) {
      expect((input as { baseUrl: string }).baseUrl).toBe('http://localhost:8080');
      input = { ...(input as Record<string, Json>), baseUrl: exportApi!.url };
    }
    const result = await runWorkflow(name, input, expectation.signals);
    await expectation.check(result);
  });
});

describe('customer-onboarding, the review wait', () => {
  const input = readInput('customer-onboarding.json');

  it('with no decision: three reminders two days apart, then the application expires and the account is closed', async () => {
    const { output, record, elapsedMs } = await runWorkflow('customer-onboarding', input);
    expect(output).toMatchObject({ status: 'closed', decision: 'rejected', decidedBy: 'deadline', remindersSent: 3 });
    expect(record.steps.filter((s) => s.id === 'waitForDecision').map((s) => s.error?.type)).toEqual(['Timeout', 'Timeout', 'Timeout', 'Timeout']);
    expect(record.steps.filter((s) => s.id === 'remind').map((s) => (s.input as { data: { reminder: number } }).data.reminder)).toEqual([1, 2, 3]);
    expect(step(record, 'reviewLoop#4/expire').status).toBe('completed');
    expect(step(record, 'close').input).toMatchObject({ reason: 'rejected by deadline' });
    expect(record.signals).toEqual([]);
    expect(elapsedMs).toBe(8 * DAY);
  });

  it('a decision after the first reminder ends the wait', async () => {
    const { output, record, elapsedMs } = await runWorkflow('customer-onboarding', input, {
      'reviewLoop#2/waitForDecision': approve({ decision: 'approved', by: 'jonas.lindqvist' }),
    });
    expect(output).toMatchObject({ status: 'active', decidedBy: 'jonas.lindqvist', remindersSent: 1 });
    expect(step(record, 'reviewLoop#1/waitForDecision').error?.type).toBe('Timeout');
    expect(step(record, 'reviewLoop#2/waitForDecision').status).toBe('completed');
    expect(elapsedMs).toBe(2 * DAY + 7 * DAY);
  });

  it('refuses a signal payload that does not match the schema, and the run waits on', async () => {
    const bundle = await bundleOf('customer-onboarding');
    const engine = new LocalEngine({ activities, store: null, clock: new VirtualClock() });
    const run = engine.start({ bundle, input });
    expect(() => run.signal('approve', { decision: 'maybe', by: 'amara.okafor' })).toThrow(InvalidSignal);
    expect(() => run.signal('approved', { decision: 'approved', by: 'amara.okafor' })).toThrow(InvalidSignal);
    run.signal('approve', { decision: 'approved', by: 'amara.okafor' }); // buffered until the wait takes it
    const outcome = await run.done;
    expect(outcome).toMatchObject({ status: 'completed', output: { status: 'active', decidedBy: 'amara.okafor', remindersSent: 0 } });
  });
});
