/**
 * Replaying recorded runs: the interpreter walks the definition again on the recorded
 * results — nothing runs — and rebuilds the same record; a changed definition is caught
 * at the first step where it would do something else.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunRecord } from '../../src/history/record.js';
import { replayRun } from '../../src/replay/replay.js';
import { fails, runWorkflow, testActivity, testBundle, type RunResult } from '../engine/harness.js';

const charge = testActivity('t.charge', { script: [fails('Transient'), fails('Transient')] });
const reserve = testActivity('t.reserve');
const ship = testActivity('t.ship', { decide: (input) => ((input as { fail?: boolean }).fail ? fails('Unavailable', { nonRetryable: true }) : { kind: 'echo' }) });
const undo = testActivity('t.undo');
const ACTIVITIES = [charge, reserve, ship, undo];

const ORDER = `revo: 1
name: order
input: { type: object, properties: { fail: { type: boolean }, size: { type: integer } } }
signals:
  approve: { schema: { type: object } }
defaults: { retry: { initialInterval: 1s } }
steps:
  - id: both
    parallel:
      - id: pay
        steps:
          - id: charge
            call: t.charge
            with: { amount: 42 }
            compensate: [{ id: refund, call: t.undo, with: { what: charge } }]
      - id: stock
        steps: [{ id: reserve, call: t.reserve, with: { sku: a } }]
  - id: lines
    foreach: [1, 2, 3]
    steps: [{ id: line, call: t.reserve, with: { line: { var: item } } }]
  - id: route
    switch:
      - when: { ">": [{ var: input.size }, 2] }
        steps: [{ id: big, set: { size: big } }]
    default: [{ id: small, set: { size: small } }]
  - { id: nap, sleep: 1h }
  - { id: gate, wait: { signal: approve, timeout: 1d }, result: approval }
  - id: guarded
    try: [{ id: shipIt, call: t.ship, with: { fail: { var: input.fail } } }]
    catch: [{ errors: [Timeout], steps: [{ id: never, set: { x: 1 } }] }]
output: { size: { var: size }, approval: { var: approval } }
`;

/** The root run's own events (children have runs of their own). */
function eventsOf(result: RunResult): HistoryEvent[] {
  return result.events.filter((e) => e.runId === result.run.runId).map(({ runId: _runId, ...event }) => event as HistoryEvent);
}

async function recorded(input: Json, yaml = ORDER, signal = true) {
  const result = await runWorkflow(yaml, { activities: ACTIVITIES, input, ...(signal && { before: (run) => run.signal('approve', { by: 'ann' }) }) });
  return { result, events: eventsOf(result) };
}

function essence(record: RunRecord) {
  return {
    status: record.status,
    output: record.output,
    error: record.error?.type,
    steps: record.steps.map((s) => [s.key, s.status, s.attempts, s.output, s.decision]),
    compensations: record.compensations,
  };
}

const callCount = () => ACTIVITIES.reduce((n, a) => n + a.count, 0);

describe('replaying a recorded run', () => {
  for (const [what, input] of [
    ['completed', { size: 3 }],
    ['failed, with compensations', { fail: true }],
  ] as const) {
    it(`${what}: rebuilds the same record without running anything, and finds no divergence`, async () => {
      const { result, events } = await recorded(input);
      const calls = callCount();
      const replay = await replayRun(testBundle(ORDER, { activities: ACTIVITIES }), input, events);
      expect(callCount()).toBe(calls);
      expect(replay.divergence).toBeUndefined();
      expect(essence(replay.record)).toEqual(essence(result.record));
    });
  }

  it('a cancelled run: the cancellation is applied where it happened', async () => {
    const result = await runWorkflow(ORDER, {
      activities: ACTIVITIES,
      input: {},
      onEvent: (event, run) => void (event.type === 'step.started' && event.key === 'gate' && run.cancel('stop')),
    });
    expect(result.record.status).toBe('cancelled');
    const replay = await replayRun(testBundle(ORDER, { activities: ACTIVITIES }), {}, eventsOf(result));
    expect(replay.divergence).toBeUndefined();
    expect(essence(replay.record)).toEqual(essence(result.record));
  });

  it('a run that failed on its whole-run timeout: the stopped step replays with its recorded Timeout', async () => {
    const yaml = 'revo: 1\nname: slow\ntimeout: 1s\nsteps:\n  - { id: a, set: { x: 1 } }\n  - { id: nap, sleep: 1h }\n';
    const result = await runWorkflow(yaml, {});
    expect(result.record.error).toMatchObject({ type: 'Timeout', step: 'nap' });
    const replay = await replayRun(testBundle(yaml), {}, eventsOf(result));
    expect(replay.divergence).toBeUndefined();
    expect(essence(replay.record)).toEqual(essence(result.record));
  });

  it('a child run: the parent replays on the child’s recorded result', async () => {
    const child = `revo: 1\nname: child\nsteps:\n  - { id: c, call: t.reserve, with: { c: 1 }, result: c }\noutput: { var: c }\n`;
    const parent = `revo: 1\nname: parent\nsteps:\n  - { id: kid, child: { workflow: ./child.yaml, input: {} }, result: got }\noutput: { var: got }\n`;
    const result = await runWorkflow(parent, { activities: ACTIVITIES, files: { 'child.yaml': child } });
    const replay = await replayRun(testBundle(parent, { activities: ACTIVITIES, files: { 'child.yaml': child } }), {}, eventsOf(result));
    expect(replay.divergence).toBeUndefined();
    expect(replay.record.output).toEqual({ c: 1 });
  });

  it('a run that had not ended: replays up to where the recording stops, without a divergence', async () => {
    const { events } = await recorded({ size: 1 }, ORDER, false);
    // Cut the recording where the run waits for its signal (as `revo history` shows a running run).
    const cut = events.slice(0, events.findIndex((e) => e.type === 'step.started' && e.key === 'gate') + 1);
    const replay = await replayRun(testBundle(ORDER, { activities: ACTIVITIES }), { size: 1 }, cut);
    expect(replay.divergence).toBeUndefined();
    expect(replay.record.status).toBe('running');
    expect(replay.record.steps.find((s) => s.key === 'gate')?.status).toBe('running');
  });
});

describe('replaying with a changed definition', () => {
  const cases: [string, (yaml: string) => string, string, RegExp][] = [
    ['another activity in a step', (y) => y.replace('call: t.charge', 'call: t.reserve'), 'charge', /recorded run called t\.charge; this definition calls t\.reserve/],
    ['a step removed', (y) => y.replace('  - { id: nap, sleep: 1h }\n', ''), 'nap', /ran in the recorded run; this definition does not reach it/],
    ['a step inserted', (y) => y.replace('  - { id: nap, sleep: 1h }\n', '  - { id: nap, sleep: 1h }\n  - { id: extra, call: t.reserve, with: { extra: true } }\n'), 'extra', /runs here with this definition; the recorded run did not run it/],
    ['a changed input', (y) => y.replace('with: { sku: a }', 'with: { sku: b }'), 'reserve', /its input differs \(recorded \{"sku":"a"\}, now \{"sku":"b"\}\)/],
    ['a changed switch', (y) => y.replace('{ ">": [{ var: input.size }, 2] }', '{ ">": [{ var: input.size }, 5] }'), 'route', /recorded run decided \{"case":0\}; this definition decides \{"case":"default"\}/],
  ];
  for (const [what, change, key, message] of cases) {
    it(`${what}: reported at step "${key}"`, async () => {
      const { events } = await recorded({ size: 3 });
      const changed = change(ORDER);
      expect(changed).not.toBe(ORDER);
      const replay = await replayRun(testBundle(changed, { activities: ACTIVITIES }), { size: 3 }, events);
      expect(replay.divergence?.key).toBe(key);
      expect(replay.divergence?.message).toMatch(message);
    });
  }
});
