/**
 * Re-running a finished run from one of its steps on the local engine, through the API
 * as a service would (docs/replay.md#re-run-from-a-step): the steps before it answer
 * from the recorded run — no activity is called, no timer waits, no signal is needed —
 * and are marked reused in the record, the text history and the timeline; a fixed
 * definition is checked against the reused part; what "before" means inside parallel,
 * foreach and while; a resume after a crash goes on reusing; every refusal names why
 * and starts no run.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkflowError } from '../../interpreter/errors.js';
import { renderHistoryText } from '../../src/cli/render/history-text.js';
import { renderTimelinePage } from '../../src/history/html/page.js';
import { historyExport } from '../../src/history/export.js';
import { VirtualClock } from '../../src/local/clock.js';
import { RerunRefusedError, Revo, RunNotFoundError, type RunRecord } from '../../src/index.js';
import { custom, delays, fails, testActivity, type TestActivity } from '../engine/harness.js';

const SHOP = `revo: 1
name: shop
input: { type: object, properties: { currency: { type: string } } }
signals:
  approve: { schema: { type: object } }
steps:
  - { id: charge, call: t.charge, with: { amount: 5 }, result: payment }
  - { id: gate, wait: { signal: approve }, result: approval }
  - { id: nap, sleep: 1h }
  - id: both
    parallel:
      - id: left
        steps: [{ id: pack, call: t.pack, with: { box: big } }]
      - id: right
        steps: [{ id: label, call: t.label, with: { by: { var: approval.by } } }]
  - id: lines
    foreach: [1, 2, 3]
    steps:
      - { id: reserve, call: t.reserve, with: { line: { var: item } } }
      - { id: ship, call: t.ship, with: { line: { var: item } } }
  - { id: invoice, call: t.invoice, with: { amount: { var: payment.amount } }, result: bill }
output: { bill: { var: bill } }
`;

/** The fix: the invoice now says its currency. */
const SHOP_FIXED = SHOP.replace('with: { amount: { var: payment.amount } }', 'with: { amount: { var: payment.amount }, currency: EUR }');

const nonRetryable = (type: string) => fails(type, { nonRetryable: true });

function shopActivities(options: { shipFails?: (line: number, call: number) => boolean; packFails?: boolean } = {}) {
  return {
    charge: testActivity('t.charge', { otherwise: custom(async (input) => ({ id: 'ch_1', ...(input as object) })) }),
    pack: testActivity('t.pack', { decide: () => (options.packFails ? delays(50, nonRetryable('NoBoxes')) : { kind: 'echo' }) }),
    label: testActivity('t.label'),
    reserve: testActivity('t.reserve'),
    ship: testActivity('t.ship', { decide: (input, _c, index) => (options.shipFails?.((input as { line: number }).line, index) ? nonRetryable('Unreachable') : { kind: 'echo' }) }),
    invoice: testActivity('t.invoice', { decide: (input) => ((input as { currency?: string }).currency ? { kind: 'echo' } : nonRetryable('BadInput')) }),
  };
}

type Activities = ReturnType<typeof shopActivities>;
const counts = (a: Activities) => Object.fromEntries(Object.entries(a).map(([name, act]) => [name, (act as TestActivity).count]));

let dir: string;
let home: string;
const open: Revo[] = [];
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
function revoWith(activities: Activities, clock?: VirtualClock): Revo {
  const revo = new Revo({ home, activities: Object.values(activities), ...(clock && { clock }) });
  open.push(revo);
  return revo;
}
const runIds = () => readdirSync(join(home, 'runs')).filter((f) => f.endsWith('.jsonl')).sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revo-rerun-from-'));
  home = join(dir, '.revo');
});
afterEach(async () => {
  for (const revo of open.splice(0)) await revo.close();
});

/** Runs SHOP to its end (virtual time: the 1h sleep costs nothing), approving it. */
async function recordedShop(activities: Activities, text = SHOP): Promise<{ runId: string; record: RunRecord }> {
  const revo = revoWith(activities, new VirtualClock());
  const run = await revo.start(file('shop.yaml', text), { input: {} });
  await run.signal('approve', { by: 'ann' });
  await run.outcome();
  return { runId: run.runId, record: await run.record() };
}

const reusedKeys = (record: RunRecord) => record.steps.filter((s) => s.reused).map((s) => s.key);
const liveKeys = (record: RunRecord) => record.steps.filter((s) => !s.reused).map((s) => s.key);

describe('re-running from a step', () => {
  it('with a fixed definition: the failed step and what follows run live, nothing before it runs again, and the reused steps are marked everywhere', async () => {
    const activities = shopActivities();
    const { runId, record } = await recordedShop(activities);
    expect(record).toMatchObject({ status: 'failed', error: { type: 'BadInput', step: 'invoice' } });
    const before = counts(activities);
    file('shop.yaml', SHOP_FIXED);

    // A real clock and no signal: a repeated sleep would take an hour, a repeated wait for ever.
    const revo = revoWith(activities);
    const started = Date.now();
    const run = await revo.rerun(runId, { from: 'invoice', current: true });
    await expect(run.result()).resolves.toEqual({ bill: { amount: 5, currency: 'EUR' } });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.runId).not.toBe(runId);
    expect(counts(activities)).toEqual({ ...before, invoice: before.invoice! + 1 });

    const again = await run.record();
    expect(again.trigger.by).toBe(`rerun:${runId}@invoice`);
    expect(again.rerun).toEqual({ of: runId, from: 'invoice' });
    expect(liveKeys(again)).toEqual(['invoice']);
    expect(reusedKeys(again)).toEqual(expect.arrayContaining(['charge', 'gate', 'nap', 'both', 'left', 'pack', 'right', 'label', 'lines', 'lines[0]/reserve', 'lines[2]/ship']));
    expect(again.signals).toEqual([]);
    expect(again.steps.find((s) => s.key === 'charge')).toMatchObject({ status: 'completed', output: { id: 'ch_1', amount: 5 }, attempts: 1, reused: true });
    expect(again.steps.find((s) => s.key === 'invoice')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(again.steps.find((s) => s.key === 'invoice')!.reused).toBeUndefined();

    // The text history and the timeline say so.
    const text = renderHistoryText(again, { color: false, held: false });
    expect(text).toMatch(new RegExp(`rerun +of ${runId} from step invoice \\(15 steps before it reused`));
    expect(text).toMatch(/✓ charge {2}call t\.charge · 1 attempt · \d+ms · reused/);
    expect(text).toMatch(/✓ invoice {2}call t\.invoice · 1 attempt · \d+ms\n/);
    const history = await revo.history(run.runId);
    const page = renderTimelinePage(historyExport(history.record, history.bundle, history.events));
    expect(page).toMatch(/<div class="row" data-row="charge" data-reused=""/);
    expect(page).toMatch(/<div class="row" data-row="invoice" style/);
    expect(page).toContain(`<code>${runId}</code> from step <code>invoice</code> · 15 reused`);
    // The journal holds no fact for a reused step: no activity result, timer or signal of its own.
    expect(history.events.filter((e) => e.type === 'signal.received')).toEqual([]);
  });

  it('inside a foreach: earlier items and the item\'s earlier steps are reused, the rest of the item and later items run live', async () => {
    // Line 2's first shipment fails; every other call succeeds.
    const activities = shopActivities({ shipFails: (line, call) => line === 2 && call === 1 });
    const { runId, record } = await recordedShop(activities, SHOP.replace('with: { amount: { var: payment.amount } }', 'with: { amount: 1, currency: EUR }'));
    expect(record.error).toMatchObject({ type: 'Unreachable', step: 'ship' });
    const before = counts(activities);
    const revo = revoWith(activities);
    // `ship` alone names its first instance that did not complete.
    const run = await revo.rerun(runId, { from: 'ship' });
    expect((await run.outcome()).status).toBe('completed');
    const again = await run.record();
    expect(again.trigger.by).toBe(`rerun:${runId}@lines[1]/ship`);
    expect(reusedKeys(again)).toEqual(['charge', 'gate', 'nap', 'both', 'left', 'pack', 'right', 'label', 'lines[0]/reserve', 'lines[0]/ship', 'lines[1]/reserve']);
    expect(liveKeys(again)).toEqual(['lines', 'lines[1]/ship', 'lines[2]/reserve', 'lines[2]/ship', 'invoice']);
    expect(counts(activities)).toEqual({ ...before, ship: before.ship! + 2, reserve: before.reserve! + 1, invoice: before.invoice! + 1 });
  });

  it('inside a parallel: the other branch is reused where it completed; a branch id works too', async () => {
    const activities = shopActivities({ packFails: true });
    const { runId, record } = await recordedShop(activities);
    expect(record.error).toMatchObject({ type: 'NoBoxes' });
    const revo = revoWith(activities);
    const labels = activities.label.count;
    const packs = activities.pack.count;
    // Still failing at pack: the re-run fails the same way, without labelling again.
    const run = await revo.rerun(runId, { from: 'left' });
    expect(await run.outcome()).toMatchObject({ status: 'failed', error: { type: 'NoBoxes', step: 'pack' } });
    const again = await run.record();
    expect(reusedKeys(again)).toEqual(['charge', 'gate', 'nap', 'right', 'label']);
    expect(liveKeys(again)).toEqual(['both', 'left', 'pack']);
    expect(activities.label.count).toBe(labels);
    expect(activities.pack.count).toBe(packs + 1);
  });

  it('inside a while: earlier iterations are reused, the rest runs live', async () => {
    const checks = testActivity('t.check', { decide: (input) => ((input as { n: number }).n === 3 ? nonRetryable('Flaky') : { kind: 'echo' }) });
    const POLL = `revo: 1
name: poll
steps:
  - { id: start, set: { n: 0 } }
  - id: loop
    while: { "<": [{ var: n }, 4] }
    steps:
      - { id: bump, set: { n: { "+": [{ var: n }, 1] } } }
      - { id: check, call: t.check, with: { n: { var: n } } }
`;
    const revo = new Revo({ home, activities: [checks] });
    open.push(revo);
    const first = await revo.start(file('poll.yaml', POLL));
    expect(await first.outcome()).toMatchObject({ status: 'failed', error: { type: 'Flaky' } });
    expect(checks.count).toBe(3);
    file('poll.yaml', POLL.replace('t.check, with', 't.check, retry: { maxAttempts: 1 }, with'));
    // The retry policy is not part of what a step does (kind, activity, input, outcome): the fix is accepted.
    const run = await revo.rerun(first.runId, { from: 'loop#3/check', current: true });
    expect(await run.outcome()).toMatchObject({ status: 'failed', error: { type: 'Flaky' } });
    const again = await run.record();
    expect(reusedKeys(again)).toEqual(['start', 'loop#1/bump', 'loop#1/check', 'loop#2/bump', 'loop#2/check', 'loop#3/bump']);
    expect(liveKeys(again)).toEqual(['loop', 'loop#3/check']);
    expect(checks.count).toBe(4);
  });

  it('inside a catch: the try\'s failure is reused, so the same clause catches it again; a replay of the re-run finds it identical', async () => {
    const risky = testActivity('t.risky', { otherwise: nonRetryable('Broken') });
    const recover = testActivity('t.recover', { script: [nonRetryable('StillBroken')] });
    const GUARD = `revo: 1
name: guard
steps:
  - { id: prepare, set: { tries: 1 } }
  - id: guarded
    try: [{ id: risky, call: t.risky }]
    catch: [{ errors: [Broken], steps: [{ id: recover, call: t.recover, with: { tries: { var: tries } } }] }]
    finally: [{ id: tidy, set: { tidied: true } }]
`;
    const revo = new Revo({ home, activities: [risky, recover] });
    open.push(revo);
    const first = await revo.start(file('guard.yaml', GUARD));
    expect(await first.outcome()).toMatchObject({ status: 'failed', error: { type: 'StillBroken' } });
    const run = await revo.rerun(first.runId, { from: 'recover' });
    expect((await run.outcome()).status).toBe('completed');
    expect([risky.count, recover.count]).toEqual([1, 2]);
    const again = await run.record();
    expect(again.steps.find((s) => s.key === 'risky')).toMatchObject({ status: 'failed', error: { type: 'Broken' }, reused: true });
    expect(liveKeys(again)).toEqual(['guarded', 'recover', 'tidy']);
    const verdict = await revo.replay(run.runId);
    expect(verdict.divergence).toBeUndefined();
  });

  it('refuses to reuse a failure that would stop the step before it runs (an earlier item of a concurrent foreach failed on its own)', async () => {
    const work = testActivity('t.work', { decide: (input) => ((input as { i: number }).i === 0 ? delays(5, nonRetryable('Bad')) : delays(200)) });
    const EACH = `revo: 1
name: each
steps:
  - id: each
    foreach: [0, 1]
    concurrency: 2
    steps: [{ id: work, call: t.work, with: { i: { var: item } } }]
`;
    const revo = new Revo({ home, activities: [work] });
    open.push(revo);
    const first = await revo.start(file('each.yaml', EACH));
    const record = (await first.outcome(), await first.record());
    expect(record.steps.find((s) => s.key === 'each[1]/work')).toMatchObject({ status: 'failed', error: { type: 'Cancelled' } });
    await expect(revo.rerun(first.runId, { from: 'each[1]/work' })).rejects.toThrow(
      /step "each\[0\]\/work" failed before it in the recorded run, and the re-run would repeat that failure, which stops "each\[1\]\/work" before it runs; re-run from "each\[0\]\/work" instead/,
    );
    // From the item that failed first, the other item (cancelled there) runs again.
    const run = await revo.rerun(first.runId, { from: 'each[0]/work' });
    expect((await run.outcome()).status).toBe('failed');
    expect(work.count).toBe(4);
  });

  it('a child workflow before the step is not started again: its step answers with the recorded output', async () => {
    const work = testActivity('t.work');
    const last = testActivity('t.last', { script: [nonRetryable('Down')] });
    file('kid.yaml', `revo: 1\nname: kid\nsteps:\n  - { id: job, call: t.work, with: { job: 1 } }\noutput: { done: true }\n`);
    const PARENT = `revo: 1
name: parent
steps:
  - id: spawn
    child: { workflow: ./kid.yaml, input: {} }
    result: kid
  - { id: after, call: t.last, with: { kid: { var: kid } } }
`;
    const revo = new Revo({ home, activities: [work, last] });
    open.push(revo);
    const first = await revo.start(file('parent.yaml', PARENT));
    expect((await first.outcome()).status).toBe('failed');
    const runs = runIds().length;
    const run = await revo.rerun(first.runId, { from: 'after' });
    expect(await run.outcome()).toMatchObject({ status: 'completed' });
    expect(work.count).toBe(1);
    expect(last.inputs).toEqual([{ kid: { done: true } }, { kid: { done: true } }]);
    expect(runIds().length).toBe(runs + 1); // the re-run itself, no new child run
    expect(reusedKeys(await run.record())).toEqual(['spawn']);
  });

  it('a resume after a crash goes on reusing the same steps', async () => {
    const gate = testActivity('t.after', { otherwise: custom(async () => { throw new WorkflowError('Down', 'down', { nonRetryable: true }); }) });
    const FLOW = `revo: 1
name: crash
signals: { go: { schema: { type: object } } }
steps:
  - { id: one, call: t.one, result: first }
  - { id: two, call: t.after }
  - { id: hold, wait: { signal: go } }
  - { id: three, call: t.one, with: { again: true } }
`;
    const one = testActivity('t.one');
    const revo = new Revo({ home, activities: [one, gate] });
    open.push(revo);
    const first = await revo.start(file('crash.yaml', FLOW));
    expect((await first.outcome()).status).toBe('failed');
    file('crash.yaml', FLOW.replace('{ id: two, call: t.after }', '{ id: two, call: t.one }'));
    const run = await revo.rerun(first.runId, { from: 'two', current: true });
    const waiting = async () => ((await run.query()) as { currentSteps: string[] }).currentSteps.includes('hold');
    for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await waiting()).toBe(true);
    await revo.close(); // the process goes away: the run stays resumable

    const later = new Revo({ home, activities: [one, gate] });
    open.push(later);
    const calls = one.count;
    const resumed = await later.resume(run.runId);
    await resumed.signal('go', {});
    expect((await resumed.outcome()).status).toBe('completed');
    const record = await resumed.record();
    expect(reusedKeys(record)).toEqual(['one']);
    expect(record.trigger.by).toBe(`rerun:${first.runId}@two`);
    expect(one.count).toBe(calls + 1); // only `three`: `one` was reused again on resume, `two` ran before the crash
  });
});

describe('re-running from a step refuses what it cannot honour, and starts nothing', () => {
  it('an unknown run, an unknown step, a step not reached, an instance not reached, an ambiguous id, a compensation step', async () => {
    const activities = shopActivities();
    const { runId } = await recordedShop(activities);
    const revo = revoWith(activities);
    const runs = runIds();
    const refusal = (from: string, options = {}) => revo.rerun(runId, { from, ...options }).then(() => undefined, (e: unknown) => e as Error);

    const unknownRun = await revo.rerun('shop-20990101-000000-none', { from: 'invoice' }).catch((e: unknown) => e);
    expect(unknownRun).toBeInstanceOf(RunNotFoundError);
    for (const [from, message] of [
      ['invoise', /workflow "shop" has no step "invoise"; did you mean `invoice`\?/],
      ['lines[7]/ship', /that instance was not reached in the run; step "ship" ran as "lines\[0\]\/ship", "lines\[1\]\/ship", "lines\[2\]\/ship"/],
      ['ship', /step "ship" ran 3 times .* and completed each time; name the one to re-run from, e\.g\. --from 'lines\[0\]\/ship'/],
      ['lines/../x', /neither a step id nor a step instance key/],
    ] as const) {
      const error = await refusal(from);
      expect(error, from).toBeInstanceOf(RerunRefusedError);
      expect(error!.message, from).toMatch(message);
      expect(error!.message).toMatch(/nothing was run$/);
    }
    expect(runIds()).toEqual(runs);
  });

  it('a step never reached, a run that has not ended, a fixed definition that differs before the step', async () => {
    const activities = shopActivities();
    const AFTER = SHOP.replace('output:', '  - { id: thanks, call: t.label, with: { thanks: true } }\noutput:');
    const { runId } = await recordedShop(activities, AFTER);
    const revo = revoWith(activities);
    const runs = runIds();
    await expect(revo.rerun(runId, { from: 'thanks' })).rejects.toThrow(/step "thanks" was not reached in that run/);

    // The fix also changes what `charge` is called with: the reused part no longer matches.
    file('shop.yaml', SHOP_FIXED.replace('with: { amount: 5 }', 'with: { amount: 6 }'));
    const differs = await revo.rerun(runId, { from: 'invoice', current: true }).then(() => undefined, (e: unknown) => e as Error);
    expect(differs).toBeInstanceOf(RerunRefusedError);
    expect(differs!.message).toMatch(/the steps before it must be taken exactly as recorded, and with .*shop\.yaml they are not: step "charge": its input differs \(recorded \{"amount":5\}, now \{"amount":6\}\)/);
    // A definition that would not reach the step.
    file('other.yaml', SHOP_FIXED.replace(/  - \{ id: invoice.*\n/, '  - { id: invoiced, set: { bill: 1 } }\n'));
    await expect(revo.rerun(runId, { from: 'invoice', definition: join(dir, 'other.yaml') })).rejects.toThrow(/other\.yaml has no step "invoice" any more/);
    expect(runIds()).toEqual(runs);

    // A run waiting for its signal has not ended.
    const waiting = await revo.start(file('shop.yaml', SHOP));
    const before = runIds();
    await expect(revo.rerun(waiting.runId, { from: 'charge' })).rejects.toThrow(/the run has not ended .* wait for its end, or stop it first with `revo cancel/);
    expect(runIds()).toEqual(before);
    await waiting.cancel();
  });

  it('a new call before the step is refused (the earlier run has no outcome for it); a new set before it is taken', async () => {
    const activities = shopActivities();
    const { runId } = await recordedShop(activities);
    const revo = revoWith(activities);
    const runs = runIds();
    const invoiceLine = /  - \{ id: invoice.*\n/;
    const withAudit = SHOP_FIXED.replace(invoiceLine, (line) => `  - { id: audit, call: t.label, with: { audit: true } }\n${line}`);
    await expect(revo.rerun(runId, { from: 'invoice', definition: file('audit.yaml', withAudit) })).rejects.toThrow(
      /the re-run would not reach it: step "audit" \(call\) now comes before it, and the recorded run did not run it, so there is no outcome to reuse; re-run from an earlier step/,
    );
    expect(runIds()).toEqual(runs);
    const withNote = SHOP_FIXED.replace(invoiceLine, (line) => `  - { id: note, set: { noted: true } }\n${line}`);
    const run = await revo.rerun(runId, { from: 'invoice', definition: file('note.yaml', withNote) });
    expect((await run.outcome()).status).toBe('completed');
    expect(liveKeys(await run.record())).toEqual(['note', 'invoice']);
  });

  it('a step the recorded run undid (its compensation ran) is not reused: re-run from it instead', async () => {
    const SAGA = `revo: 1
name: saga
steps:
  - id: pay
    call: t.pay
    compensate: [{ id: refund, call: t.refund }]
  - { id: ship, call: t.ship }
`;
    const pay = testActivity('t.pay');
    const refund = testActivity('t.refund');
    const ship = testActivity('t.ship', { otherwise: nonRetryable('Lost') });
    const revo = new Revo({ home, activities: [pay, refund, ship] });
    open.push(revo);
    const first = await revo.start(file('saga.yaml', SAGA));
    expect((await first.outcome()).status).toBe('failed');
    expect(refund.count).toBe(1);
    await expect(revo.rerun(first.runId, { from: 'ship' })).rejects.toThrow(/step "pay" would be reused, but the recorded run undid it when it failed \(its compensation ran\); re-run from "pay" or an earlier step/);
    await expect(revo.rerun(first.runId, { from: 'refund' })).rejects.toThrow(/it is a compensation step/);
    const run = await revo.rerun(first.runId, { from: 'pay' });
    expect((await run.outcome()).status).toBe('failed');
    expect(pay.count).toBe(2);
  });
});
