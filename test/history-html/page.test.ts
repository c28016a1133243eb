/** The timeline page's parts that need no browser: the layout of attempts, and escaping. */
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../interpreter/history.js';
import { historyExport } from '../../src/history/export.js';
import { renderTimelinePage, jsonForScript } from '../../src/history/html/page.js';
import { timelineOf } from '../../src/history/html/timeline.js';
import { RunRecorder } from '../../src/history/record.js';
import { testBundle } from '../engine/harness.js';

const at = (ms: number) => 1_700_000_000_000 + ms;
const EVENTS: HistoryEvent[] = [
  { type: 'run.started', runId: 'r1', workflowId: 'r1', workflow: 'w', hash: 'h', engine: 'local', trigger: { by: 'cli', input: { x: '</script>' } }, at: at(0) },
  { type: 'step.started', key: 'pay', id: 'pay', kind: 'call', activity: 'p.charge', input: {}, at: at(100) },
  { type: 'attempt.failed', key: 'pay', attempt: 1, error: { type: 'Transient', message: 'down' }, retryInMs: 200, at: at(150) },
  { type: 'attempt.failed', key: 'pay', attempt: 2, error: { type: 'Transient', message: 'still down' }, retryInMs: 400, at: at(400) },
  { type: 'step.completed', key: 'pay', output: { ok: true }, attempts: 3, at: at(900) },
  { type: 'engine.handover', from: 'local', to: 'temporal', reason: 'back', at: at(950) },
  { type: 'signal.received', name: 'go', payload: null, seq: 1, at: at(960) },
  { type: 'run.completed', output: { note: '</script><script>alert(1)</script>' }, at: at(1000) },
];

describe('the timeline of a run', () => {
  it('places each attempt where it ran: after the pause that followed the previous failure', () => {
    const timeline = timelineOf(RunRecorder.fold(EVENTS));
    expect(timeline.length).toBe(1000);
    expect(timeline.rows[0]!.bar).toEqual({ from: 100, to: 900 });
    expect(timeline.rows[0]!.attempts).toEqual([
      { attempt: 1, from: 100, to: 150, failed: true, error: 'Transient: down' },
      { attempt: 2, from: 350, to: 400, failed: true, error: 'Transient: still down' },
      { attempt: 3, from: 800, to: 900, failed: false },
    ]);
    expect(timeline.markers).toEqual([
      { kind: 'signal', at: 960, label: 'signal go' },
      { kind: 'handover', at: 950, label: 'local → temporal' },
    ]);
  });

  it('embeds recorded values so that none can end the script element or become markup', () => {
    const bundle = testBundle('revo: 1\nname: w\nsteps:\n  - { id: pay, set: { a: 1 } }\n');
    const page = renderTimelinePage(historyExport(RunRecorder.fold(EVENTS), bundle, EVENTS), at(2000));
    expect(page.match(/<\/script>/g)).toHaveLength(2); // the JSON island's and the script's own
    expect(page).not.toContain('<script>alert');
    expect(JSON.parse(jsonForScript({ s: '</script>\u2028&' }))).toEqual({ s: '</script>\u2028&' });
    expect(page).not.toMatch(/https?:\/\//);
  });
});
