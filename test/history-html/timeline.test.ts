/** The timeline's layout (rows, attempts, markers, events, axis) of runs made by the real local engine. */
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../interpreter/history.js';
import { clip, decisionText, duration, jsonForScript } from '../../src/history/html/format.js';
import { ticksOf, timelineOf } from '../../src/history/html/timeline.js';
import { RunRecorder, type RunRecord } from '../../src/history/record.js';
import { fails, runWorkflow, testActivity, workflow } from '../engine/harness.js';
import { cancelledExport, orderEvents, orderExport, runningExport } from './engine-runs.js';
import { HOSTILE } from './fixture.js';

describe('the timeline of a run', () => {
  it('has a row per step in tree order, nested under its parent (a compensation under the step it undoes)', async () => {
    const timeline = timelineOf(await orderExport());
    expect(timeline.rows.map((r) => `${'  '.repeat(r.depth)}${r.step.key} ${r.step.status}`)).toEqual([
      'reserve compensated',
      '  reserve~/release completed',
      'charge compensated',
      '  charge~/refund completed',
      'note completed',
      'route completed',
      '  standard completed',
      'lines completed',
      '  lines[0]/pick completed',
      '  lines[1]/pick completed',
      'gate completed',
      'label completed',
      '  print failed',
      '  handwrite completed',
      'ship failed',
    ]);
    expect(timeline.rows.every((r) => r.bar !== undefined)).toBe(true);
  });

  it('places each attempt of a retried step where it ran: after the pause that followed the previous failure', async () => {
    const { rows, length } = timelineOf(await orderExport());
    const charge = rows.find((r) => r.step.key === 'charge')!;
    // Virtual time: the attempts take no time, the pauses 100 ms then 200 ms.
    expect(charge.bar).toEqual({ from: 0, to: 300 });
    expect(charge.attempts).toEqual([
      { attempt: 1, from: 0, to: 0, failed: true, error: 'Transient: payment provider unavailable', retryInMs: 100 },
      { attempt: 2, from: 100, to: 100, failed: true, error: `Transient: provider said ${HOSTILE}`, retryInMs: 200 },
      { attempt: 3, from: 300, to: 300, failed: false },
    ]);
    expect(length).toBe(300);
    expect(rows.filter((r) => r.attempts.length > 0).map((r) => r.step.key)).toEqual(['charge']);
  });

  it('shows the last attempt of a step that gave up as failed, with the error it failed with', async () => {
    const down = testActivity('t.down', { otherwise: fails('Transient', { message: 'still down' }) });
    const { record } = await runWorkflow(workflow(`- { id: call, call: t.down, retry: { maxAttempts: 3, initialInterval: 1s } }`), { activities: [down] });
    const [row] = timelineOf(record).rows;
    expect(row!.attempts.map((a) => [a.attempt, a.from, a.failed, a.error])).toEqual([
      [1, 0, true, 'Transient: still down'],
      [2, 1000, true, 'Transient: still down'],
      [3, 3000, true, 'Transient: still down'],
    ]);
  });

  it('words the decisions: the switch case, the items of a foreach, the catch that caught', async () => {
    const rows = timelineOf(await orderExport()).rows;
    expect(Object.fromEntries(rows.filter((r) => r.decision).map((r) => [r.step.key, r.decision]))).toEqual({ route: 'default case', lines: '2 items', label: 'caught by catch 1' });
    const { record } = await runWorkflow(
      workflow(`
        - { id: n, set: { i: 0 } }
        - id: loop
          while: { "<": [{ var: i }, 3] }
          steps: [{ id: bump, set: { i: { "+": [{ var: i }, 1] } } }]
        - id: pick
          switch: [{ when: false, steps: [{ id: a, set: { x: 1 } }] }, { when: true, steps: [{ id: b, set: { x: 2 } }] }]
        - id: guard
          try: [{ id: fine, set: { y: 1 } }]
          catch: [{ errors: [Transient], steps: [{ id: never, set: { y: 2 } }] }]
      `),
    );
    // (A try that caught nothing records no decision.)
    expect(Object.fromEntries(timelineOf(record).rows.filter((r) => r.decision).map((r) => [r.step.key, r.decision]))).toEqual({ loop: '3 iterations', pick: 'case 2' });
    expect([{ case: null }, { iterations: 1 }, { items: 1 }, { caught: 2 }, { caught: null }].map((d) => decisionText(d))).toEqual(['no case matched', '1 iteration', '1 item', 'caught by catch 3', 'nothing caught']);
  });

  it('puts signals, rejected signals and hand-overs on the axis, on separate label lanes when close', async () => {
    const timeline = timelineOf(await orderExport());
    expect(timeline.markers).toEqual([
      { kind: 'signal', index: 0, at: 0, label: 'signal approve', lane: 0, end: false },
      { kind: 'rejected-signal', index: 0, at: 300, label: 'rejected approve', lane: 0, end: true },
      { kind: 'handover', index: 0, at: 300, label: 'local → temporal', lane: 1, end: true },
    ]);
    expect(timeline.lanes).toBe(2);
    expect(timeline.rows.filter((r) => r.step.engine === 'temporal').map((r) => r.step.key)).toEqual(['reserve~/release', 'charge~/refund', 'gate', 'label', 'print', 'handwrite', 'ship']);
  });

  it('gives marker labels that would overlap their own lanes, drawn to the left near the end of the axis', () => {
    const at = (ms: number) => 1_700_000_000_000 + ms;
    const signal = (ms: number, name: string, seq: number): HistoryEvent => ({ type: 'signal.received', name, payload: null, seq, at: at(ms) });
    const record = RunRecorder.fold([
      { type: 'run.started', runId: 'r', workflowId: 'r', workflow: 'w', hash: 'h', engine: 'local', trigger: { by: 'cli', input: null }, at: at(0) },
      signal(0, 'a', 1),
      signal(10, 'b', 2),
      signal(20, 'c', 3),
      { type: 'engine.handover', from: 'local', to: 'temporal', reason: 'back', at: at(520) },
      signal(880, 'approve', 4),
      signal(990, 'x', 5),
      { type: 'run.completed', output: null, at: at(1000) },
    ]);
    // Labels are some 10-25% of the axis wide: a, b, c stack; the hand-over's label and approve's (drawn leftwards) would meet.
    expect(timelineOf(record).markers.map((m) => `${m.label}@${m.at} lane ${m.lane}${m.end ? ' end' : ''}`)).toEqual([
      'signal a@0 lane 0',
      'signal b@10 lane 1',
      'signal c@20 lane 2',
      'local → temporal@520 lane 0',
      'signal approve@880 lane 1 end',
      'signal x@990 lane 0 end',
    ]);
  });

  it('lists the run events in the order they happened, with the steps they concern', async () => {
    const run = await orderExport();
    const { events } = timelineOf(run, Date.now(), run.events);
    expect(events.map((e) => `${e.at} ${e.kind}:${e.index}${e.step ? ` ${e.step}` : ''}`)).toEqual([
      '0 signal:0',
      '300 log:0 note',
      '300 rejected-signal:0',
      '300 handover:0',
      '300 compensation:0 charge',
      '300 compensation:1 reserve',
    ]);
    expect(events.find((e) => e.kind === 'handover')!.text).toBe(`handed over from local to temporal: reachable again ${HOSTILE}`);
    expect(events.find((e) => e.kind === 'compensation')!.text).toBe('compensation of charge completed');
  });

  it('marks the cancel request of a cancelled run', async () => {
    const timeline = timelineOf(await cancelledExport());
    expect(timeline.markers).toEqual([{ kind: 'cancel', index: 0, at: 0, label: 'cancel requested', lane: 0, end: false }]);
    expect(timeline.events.map((e) => e.kind)).toEqual(['cancel', 'compensation']);
    expect(timeline.rows.find((r) => r.step.key === 'book')!.compensation).toEqual({ from: 0, to: 0, status: 'completed' });
  });

  it('draws a run going on up to now, and its running step to now', async () => {
    const run = await runningExport('gate');
    expect(run.status).toBe('running');
    const now = Date.parse(run.startedAt!) + 5000;
    const timeline = timelineOf(run, now);
    expect(timeline.length).toBe(5000);
    expect(timeline.rows.at(-1)).toMatchObject({ step: { key: 'gate', status: 'running' }, bar: { from: 300, to: 5000 } });
  });

  it('copes with records without times, and with parents that form a cycle', async () => {
    const { events } = await orderEvents();
    const timeless = RunRecorder.fold(events.map(({ at: _, ...event }) => event as HistoryEvent));
    const timeline = timelineOf(timeless, 1_000);
    expect(timeline.rows).toHaveLength(15);
    expect(timeline.rows.every((r) => r.bar === undefined && r.attempts.length === 0)).toBe(true);
    expect(timeline.markers).toEqual([]);
    expect(timeline.events.every((e) => e.at === undefined)).toBe(true);

    const cyclic: RunRecord = { ...timeless, steps: [{ key: 'a', id: 'a', kind: 'set', status: 'completed', parent: 'b' }, { key: 'b', id: 'b', kind: 'set', status: 'completed', parent: 'a' }, { key: 'c', id: 'c', kind: 'set', status: 'completed', parent: 'c' }] };
    expect(timelineOf(cyclic, 1_000).rows.map((r) => `${r.step.key}${r.depth}`)).toEqual(['c0', 'a0', 'b1']);
  });
});

describe('the axis and the words', () => {
  it('ticks at round values', () => {
    expect(ticksOf(300)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(ticksOf(1030)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticksOf(2083)).toEqual([0, 500, 1000, 1500, 2000]);
    expect(ticksOf(1)).toEqual([0, 1]);
    expect(ticksOf(3 * 86_400_000)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3].map((d) => d * 86_400_000));
    expect(ticksOf(90 * 86_400_000)).toHaveLength(Math.floor(90 / 21) + 1);
  });

  it('writes durations for people', () => {
    expect([0, 850, 1000, 1500, 1983, 9999, 12_340, 59_999, 61_000, 3_599_000, 3_600_000, 7_260_000, 86_400_000 * 3 + 3_600_000 * 4].map(duration)).toEqual([
      '0ms', '850ms', '1s', '1.5s', '1.98s', '10s', '12.3s', '60s', '1m 01s', '59m 59s', '1h 00m', '2h 01m', '3d 04h',
    ]);
    expect(duration(-1500)).toBe('-1.5s');
    expect(clip('abcdef', 4)).toBe('abc…');
  });

  it('embeds JSON so that nothing can end the script element, and parses back unchanged', () => {
    const value = { s: `</script><!--<script>&\u2028\u2029`, n: [1, null, true] };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
