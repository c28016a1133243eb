/**
 * `revo history`, `runs`, `query`, `signal` and `cancel` against local runs. Journals are
 * made the real way (LocalEngine with a RunStore in a temp REVO_HOME); the CLI is the
 * built one (`npm run build`, done by `npm test`), spawned as a user would run it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../interpreter/run.js';
import { loadActivities } from '../src/activities/catalog.js';
import type { ActivityDefinition, ActivitySpec } from '../src/activities/types.js';
import type { RunRecord } from '../src/history/record.js';
import { defineActivity, WorkflowError } from '../src/index.js';
import { buildBundle } from '../src/load/bundle.js';
import { loadText } from '../src/load/load.js';
import { WorkflowSet } from '../src/load/workflow-set.js';
import { VirtualClock } from '../src/local/clock.js';
import { LocalEngine, type LocalRun } from '../src/local/engine.js';
import { RunStore } from '../src/local/store.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'revo.js');

const ORDERS = `revo: 1
name: orders
version: "3"
steps:
  - id: greet
    call: core.echo
    with: { orderId: { var: input.orderId } }
    result: order
  - id: charge
    call: test.flaky
    with: { amount: 42 }
    retry: { initialInterval: 1s, backoff: 2 }
    result: payment
  - id: note
    call: core.log
    with: { message: charged the card, data: { amount: 42 } }
  - id: route
    switch:
      - when: { ">": [ { var: payment.amount }, 100 ] }
        steps: [ { id: big, set: { size: big } } ]
    default:
      - { id: small, set: { size: small } }
output: { orderId: { var: order.orderId }, size: { var: size } }
`;

const REFUNDS = `revo: 1
name: refunds
steps:
  - id: reserve
    call: core.echo
    with: { sku: abc-1 }
    compensate:
      - id: release
        call: core.log
        with: { message: released the stock }
  - id: ship
    call: test.broken
    with: {}
    retry: { maxAttempts: 1 }
`;

const APPROVALS = `revo: 1
name: approvals
signals:
  approve:
    schema: { type: object, required: [by], properties: { by: { type: string } }, additionalProperties: false }
queries:
  summary: { stage: { var: stage }, amount: { var: input.amount }, workflow: { var: workflow.name } }
steps:
  - id: prepare
    set: { stage: waiting }
  - id: gate
    wait: { signal: approve }
    result: approval
  - id: finish
    set: { stage: approved }
output: { by: { var: approval.by }, stage: { var: stage } }
`;

/** Fails its first two attempts with a retryable error. */
const flaky = defineActivity({
  name: 'test.flaky',
  input: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } } as const,
  output: { type: 'object', properties: { amount: { type: 'number' } } } as const,
  async run({ amount }, context) {
    if (context.attempt < 3) throw new WorkflowError('Transient', `gateway busy (attempt ${context.attempt})`);
    return { amount };
  },
});

const broken = defineActivity({
  name: 'test.broken',
  input: { type: 'object' } as const,
  output: { type: 'object' } as const,
  async run() {
    throw new WorkflowError('Unavailable', 'the carrier is down', { details: { carrier: 'acme' } });
  },
});

let home: string;
let cwd: string;
let activities: Map<string, ActivityDefinition>;
let catalog: Map<string, ActivitySpec>;
const bundles = new Map<string, ReturnType<typeof buildBundle>>();
const live: LocalRun[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'revo-cli-local-'));
  cwd = mkdtempSync(join(tmpdir(), 'revo-cli-local-cwd-'));
  const loaded = await loadActivities();
  activities = new Map([...loaded.definitions, flaky, broken].map((d) => [d.name, d as ActivityDefinition]));
  catalog = new Map([...loaded.catalog, [flaky.name, flaky], [broken.name, broken]]);
  for (const [name, text] of Object.entries({ orders: ORDERS, refunds: REFUNDS, approvals: APPROVALS })) {
    const file = loadText(join(cwd, `${name}.yaml`), text);
    bundles.set(name, buildBundle(file, new WorkflowSet([file]), catalog));
  }
});

afterAll(() => {
  // Nothing may keep waiting after the tests (it would hold the worker open).
  for (const run of live) if (run.record.status === 'running') run.abandon();
});

function engine(options: { virtualClock?: boolean } = {}): LocalEngine {
  return new LocalEngine({ activities, store: new RunStore(home), ...(options.virtualClock && { clock: new VirtualClock() }) });
}

function start(workflow: string, runId: string, input: unknown = {}, options: { virtualClock?: boolean } = {}): LocalRun {
  const run = engine(options).start({ bundle: bundles.get(workflow)!, input: input as never }, { runId });
  live.push(run);
  return run;
}

/** The built CLI with REVO_HOME set, from a directory that is not the project. */
function revo(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', REVO_HOME: home, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function settled(run: LocalRun, ms = 10_000): Promise<RunOutcome> {
  return Promise.race([run.done, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run ${run.runId} did not end`)), ms).unref())]);
}

/** Starts an approvals run and resolves once it waits at its `gate` step. */
async function waitingRun(runId: string, input: unknown = { amount: 250 }): Promise<LocalRun> {
  const run = start('approvals', runId, input);
  await until(() => run.record.steps.some((s) => s.key === 'gate'), `${runId} to wait for its signal`);
  return run;
}

function journalTypes(runId: string): string[] {
  return readFileSync(new RunStore(home).journalPath(runId), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { type: string }).type);
}

const COMPLETED = 'orders-20260101-100000-aaaa';
const FAILED = 'refunds-20260101-100100-bbbb';

describe('revo history', () => {
  beforeAll(async () => {
    expect((await settled(start('orders', COMPLETED, { orderId: 'o-1' }, { virtualClock: true }))).status).toBe('completed');
    expect((await settled(start('refunds', FAILED, {}, { virtualClock: true }))).status).toBe('failed');
  });

  it('shows a completed run: header, step tree, retried attempts, decisions, logs and output', () => {
    const result = revo(['history', COMPLETED]);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toContain(`run ${COMPLETED}`);
    expect(text).toMatch(/workflow\s+orders v3/);
    expect(text).toMatch(/hash\s+sha256:[0-9a-f]{64}/);
    expect(text).toMatch(/engine\s+local/);
    expect(text).toMatch(/status\s+completed/);
    expect(text).toMatch(/trigger\s+cli · input \{"orderId":"o-1"\}/);
    expect(text).toMatch(/started\s+2026-01-01T00:00:00.000Z/);
    expect(text).toMatch(/duration\s+3s/); // two retries, 1s then 2s, on the virtual clock
    expect(text).toMatch(/✓ charge {2}call test\.flaky · 3 attempts · 3s/);
    expect(text).toContain('    input   {"amount":42}');
    expect(text).toContain('    attempt 1 failed: Transient: gateway busy (attempt 1) — retried in 1s');
    expect(text).toContain('    attempt 2 failed: Transient: gateway busy (attempt 2) — retried in 2s');
    expect(text).toContain('    output  {"amount":42}');
    expect(text).toMatch(/✓ route {2}switch/);
    expect(text).toContain('    decision no case matched; default taken');
    expect(text).toMatch(/\n {4}✓ small {2}set/); // nested under the switch
    expect(text).toMatch(/logs\n.*info\s+note charged the card \{"amount":42\}/);
    expect(text).toMatch(/output\n {2}\{"orderId":"o-1","size":"small"\}\n$/);
  });

  it('shows a failed run with its error and the compensation that ran', () => {
    const result = revo(['history', FAILED]);
    expect(result.code, result.stderr).toBe(0);
    const text = result.stdout;
    expect(text).toMatch(/status\s+failed/);
    expect(text).toMatch(/↺ reserve {2}call core\.echo · 1 attempt · .* · compensated/);
    expect(text).toMatch(/ {4}compensation completed/);
    expect(text).toMatch(/ {4}✓ reserve~\/release {2}call core\.log · compensation/);
    expect(text).toMatch(/✗ ship {2}call test\.broken · 1 attempt · .*failed/);
    expect(text).toContain('    error   Unavailable: the carrier is down');
    expect(text).toContain('      details {"carrier":"acme"}');
    expect(text).toMatch(/compensations \(in the order they ran\)\n {2}1\. reserve {2}completed/);
    expect(text).toMatch(/error\n {2}Unavailable in step "ship": the carrier is down/);
  });

  it('cuts long values to one line unless --full', () => {
    const long = 'x'.repeat(300);
    const runId = 'orders-20260101-090000-long';
    return settled(start('orders', runId, { orderId: long }, { virtualClock: true })).then(() => {
      const short = revo(['history', runId]).stdout;
      expect(short).not.toContain(long);
      expect(short).toMatch(/input {3}\{"orderId":"x+…\n/);
      expect(short.split('\n').every((line) => line.length < 140)).toBe(true);
      const full = revo(['history', runId, '--full']).stdout;
      expect(full).toContain(`"orderId": "${long}"`);
    });
  });

  it('--json prints the run record', () => {
    const ok = revo(['history', COMPLETED, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const record = JSON.parse(ok.stdout) as RunRecord;
    expect(record).toMatchObject({ runId: COMPLETED, workflow: 'orders', version: '3', status: 'completed', engine: 'local', output: { orderId: 'o-1', size: 'small' } });
    const charge = record.steps.find((s) => s.key === 'charge')!;
    expect(charge).toMatchObject({ kind: 'call', activity: 'test.flaky', status: 'completed', attempts: 3, input: { amount: 42 }, output: { amount: 42 } });
    expect(charge.failedAttempts!.map((f) => [f.attempt, f.error.type, f.retryInMs])).toEqual([[1, 'Transient', 1000], [2, 'Transient', 2000]]);
    expect(record.steps.find((s) => s.key === 'route')!.decision).toEqual({ case: 'default' });

    const failed = JSON.parse(revo(['history', FAILED, '--json']).stdout) as RunRecord;
    expect(failed).toMatchObject({ status: 'failed', error: { type: 'Unavailable', step: 'ship' }, compensations: ['reserve'] });
    expect(failed.steps.find((s) => s.key === 'reserve')).toMatchObject({ status: 'compensated', compensation: { status: 'completed' } });
  });

  it('accepts a unique prefix of the run id', () => {
    const result = revo(['history', 'refunds-2026', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as RunRecord).runId).toBe(FAILED);
  });
});

describe('revo runs', () => {
  it('lists the runs newest first, as text and as JSON, with --workflow and --limit', async () => {
    const waiting = await waitingRun('approvals-20260101-110000-list');
    try {
      const text = revo(['runs']);
      expect(text.code, text.stderr).toBe(0);
      const lines = text.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+ENGINE\s+STARTED\s+DURATION\s+STEPS$/);
      expect(lines[1]).toMatch(/^approvals-20260101-110000-list\s+approvals\s+running\s/);
      const ids = lines.slice(1).map((line) => line.split(/\s+/)[0]);
      expect(ids.indexOf(FAILED)).toBeLessThan(ids.indexOf(COMPLETED));
      expect(lines.find((line) => line.startsWith(COMPLETED))).toMatch(/orders v3\s+completed\s+local\s+2026-01-01 00:00:00Z\s+3s\s+5$/);
      expect(lines.find((line) => line.startsWith(FAILED))).toMatch(/refunds\s+failed\s/);

      const json = revo(['runs', '--json']);
      const rows = JSON.parse(json.stdout) as { runId: string; status: string; stepsDone: number; workflow: string; pid?: number }[];
      expect(rows[0]).toMatchObject({ runId: waiting.runId, status: 'running', workflow: 'approvals', stepsDone: 1, pid: process.pid });
      expect(rows.find((r) => r.runId === COMPLETED)).toMatchObject({ status: 'completed', workflow: 'orders', stepsDone: 5 });

      const orders = JSON.parse(revo(['runs', '--json', '--workflow', 'orders']).stdout) as { workflow: string }[];
      expect(orders.length).toBeGreaterThan(0);
      expect(orders.every((r) => r.workflow === 'orders')).toBe(true);

      const one = revo(['runs', '--limit', '1']);
      expect(one.stdout.trim().split('\n')).toHaveLength(3);
      expect(one.stdout).toMatch(/… and \d+ older runs?; see (it|them) with --limit \d+/);
      expect(revo(['runs', '--limit', '0']).code).toBe(2);
    } finally {
      waiting.cancel();
      await settled(waiting);
    }
  });

  it('says how to start a run when there is none', () => {
    const empty = mkdtempSync(join(tmpdir(), 'revo-cli-empty-'));
    const result = revo(['runs'], { REVO_HOME: empty });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`no runs yet in ${join(empty, 'runs')}; start one with revo run <file>\n`);
    expect(JSON.parse(revo(['runs', '--json'], { REVO_HOME: empty }).stdout)).toEqual([]);
  });
});

describe('revo query, signal and cancel on a live run', () => {
  it('queries the state and a declared query of a waiting run, then a signal completes it', async () => {
    const run = await waitingRun('approvals-20260101-120000-sign', { amount: 250 });

    const state = revo(['query', run.runId]);
    expect(state.code, state.stderr).toBe(0);
    expect(JSON.parse(state.stdout)).toMatchObject({ status: 'running', variables: { stage: 'waiting' }, completedSteps: 1 });
    expect(state.stdout).toContain('\n  "status": "running"'); // pretty-printed

    const summary = revo(['query', run.runId, 'summary']);
    expect(summary.code, summary.stderr).toBe(0);
    expect(JSON.parse(summary.stdout)).toEqual({ stage: 'waiting', amount: 250, workflow: 'approvals' });

    const unknown = revo(['query', run.runId, 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no query "nope"; available: state, summary');

    const sent = revo(['signal', run.runId, 'approve', '{"by": "ann"}']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toBe(`sent signal "approve" to run ${run.runId}\n`);
    expect(await settled(run)).toEqual({ status: 'completed', output: { by: 'ann', stage: 'approved' } });
    expect(run.record.signals).toMatchObject([{ name: 'approve', payload: { by: 'ann' } }]);

    const after = revo(['query', run.runId]);
    expect(JSON.parse(after.stdout)).toMatchObject({ status: 'completed', variables: { stage: 'approved', approval: { by: 'ann' } } });
  });

  it('refuses a bad payload, an undeclared signal or unparsable JSON, and the run is unaffected', async () => {
    const run = await waitingRun('approvals-20260101-120100-badp');
    try {
      const bad = revo(['signal', run.runId, 'approve', '{"by": 5}']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain(`run ${run.runId} refuses signal "approve": the payload of signal "approve" does not match its schema`);
      expect(bad.stderr).toContain('nothing was sent');
      expect(bad.stderr).not.toMatch(/\n\s+at /);

      const undeclared = revo(['signal', run.runId, 'reject']);
      expect(undeclared.code).toBe(2);
      expect(undeclared.stderr).toContain('declares no signal "reject" (it declares: approve)');

      const notJson = revo(['signal', run.runId, 'approve', '{by: ann}']);
      expect(notJson.code).toBe(2);
      expect(notJson.stderr).toContain('the signal payload is not valid JSON');

      await new Promise((resolve) => setTimeout(resolve, 300)); // time for a wrongly sent message to arrive
      expect(existsSync(new RunStore(home).inboxPath(run.runId))).toBe(false);
      expect(journalTypes(run.runId).filter((t) => t.startsWith('signal.'))).toEqual([]);
      expect(run.record.status).toBe('running');
      expect(run.record.rejectedSignals).toEqual([]);
    } finally {
      run.cancel();
      await settled(run);
    }
  });

  it('cancels a waiting run', async () => {
    const run = await waitingRun('approvals-20260101-120200-canc');
    const result = revo(['cancel', run.runId, '--reason', 'no longer needed']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`cancellation of run ${run.runId} requested`);
    const outcome = await settled(run);
    expect(outcome.status).toBe('cancelled');
    expect(outcome.error).toMatchObject({ type: 'Cancelled', message: 'no longer needed' });
    expect(run.record.cancelRequested).toMatchObject({ reason: 'no longer needed' });
    expect(revo(['history', run.runId]).stdout).toMatch(/status\s+cancelled[\s\S]*cancel\s+requested at .*: no longer needed[\s\S]*\ncancelled\n {2}Cancelled/);
  });

  it('refuses to signal or cancel a run that has ended', () => {
    const signal = revo(['signal', COMPLETED, 'approve', '{}']);
    expect(signal.code).toBe(2);
    expect(signal.stderr).toContain(`run ${COMPLETED} has already completed`);
    const cancel = revo(['cancel', FAILED]);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain(`run ${FAILED} has already failed`);
  });
});

describe('a run no process is running (interrupted)', () => {
  it('shows as interrupted; a signal and a cancellation wait in its inbox for revo resume', async () => {
    const signalled = await waitingRun('approvals-20260101-130000-intr');
    const cancelled = await waitingRun('approvals-20260101-130100-intc');
    for (const run of [signalled, cancelled]) {
      run.abandon(); // as if its process had been killed
      live.splice(live.indexOf(run), 1);
    }

    const history = revo(['history', signalled.runId]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(`status    interrupted — resume with: revo resume ${signalled.runId}`);
    const rows = JSON.parse(revo(['runs', '--json']).stdout) as { runId: string; status: string; pid?: number }[];
    expect(rows.find((r) => r.runId === signalled.runId)).toEqual(expect.objectContaining({ status: 'interrupted' }));
    expect(rows.find((r) => r.runId === signalled.runId)!.pid).toBeUndefined();

    const query = revo(['query', signalled.runId]);
    expect(query.code).toBe(0);
    expect(JSON.parse(query.stdout)).toMatchObject({ status: 'running' });
    expect(query.stderr).toContain(`run ${signalled.runId} is not running now (interrupted)`);

    const signal = revo(['signal', signalled.runId, 'approve', '{"by": "bob"}']);
    expect(signal.code, signal.stderr).toBe(0);
    expect(signal.stdout).toContain(`not running now; it will be delivered when the run is resumed with: revo resume ${signalled.runId}`);
    const cancel = revo(['cancel', cancelled.runId]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`the run is not running now, so it takes effect when it is resumed with: revo resume ${cancelled.runId}`);

    const resumed = engine().resume(signalled.runId);
    live.push(resumed);
    expect(await settled(resumed)).toEqual({ status: 'completed', output: { by: 'bob', stage: 'approved' } });
    const resumedCancel = engine().resume(cancelled.runId);
    live.push(resumedCancel);
    expect((await settled(resumedCancel)).status).toBe('cancelled');
  });
});

describe('bad run ids', () => {
  it('exit 2 with the message from the run store, for every command', () => {
    for (const args of [['history', 'nope'], ['runs', '--limit', 'x'], ['query', 'nope'], ['signal', 'nope', 'approve'], ['cancel', 'nope'], ['history', '../etc']]) {
      const result = revo(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    // Not a local run, so it may be a Temporal one: the message says both where it looked.
    expect(revo(['history', 'nope']).stderr).toMatch(new RegExp(`^revo: no run "nope" in ${join(home, 'runs')} \\(see the runs with \`revo runs\`\\), and Temporal at \\S+ could not be asked about it`));
    expect(revo(['query', 'approvals-2026']).stderr).toMatch(/"approvals-2026" matches \d+ runs; give more of the id/);
    expect(revo(['history', '../etc']).stderr).toContain('invalid run id');
  });

  it('every command has --help with examples and exit codes', () => {
    for (const command of ['signal', 'query', 'cancel', 'history', 'runs']) {
      const help = revo([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: revo ${command}`);
      expect(help.stdout).toContain('Exit codes:');
      expect(help.stdout).toContain('Examples:');
    }
  });
});
