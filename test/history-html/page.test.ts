/**
 * The timeline page of runs made by the real local engine, parsed (and its script run)
 * by jsdom: one row and bar per step and one bar per attempt, the header, markers and
 * events; hostile values never become markup or end a script; nothing is loaded.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryExport } from '../../src/history/export.js';
import { panelsOf } from '../../src/history/html/details.js';
import { renderTimelinePage } from '../../src/history/html/page.js';
import { timelineOf } from '../../src/history/html/timeline.js';
import { RunRecorder } from '../../src/history/record.js';
import { historyExport } from '../../src/history/export.js';
import { parse } from './dom.js';
import { cancelledExport, orderExport, runningExport, SIGNAL } from './engine-runs.js';
import { HOSTILE } from './fixture.js';

const KEYS = ['reserve', 'reserve~/release', 'charge', 'charge~/refund', 'note', 'route', 'standard', 'lines', 'lines[0]/pick', 'lines[1]/pick', 'gate', 'label', 'print', 'handwrite', 'ship'];
const island = (html: string) => JSON.parse(/<script type="application\/json" id="revo-data">(.*?)<\/script>/s.exec(html)![1]!) as { panels: ReturnType<typeof panelsOf> };

describe('the timeline page', () => {
  it('has one row, label and bar per step, with its status, nesting and engine', async () => {
    const run = await orderExport();
    const dom = await parse(renderTimelinePage(run));
    expect(dom.attrs('.row', 'data-row')).toEqual(KEYS);
    expect(dom.attrs('button.label', 'data-step-key', 'data-panel')).toEqual(KEYS.map((k) => `${k}:step:${k}`));
    expect(dom.attrs('.bar', 'data-key', 'data-status')).toEqual(run.steps.length === 15 ? KEYS.map((k) => `${k}:${run.steps.find((s) => s.key === k)!.status}`) : []);
    expect(dom.attrs('.bar[data-status=compensated]', 'data-key')).toEqual(['reserve', 'charge']);
    expect(dom.attrs('.bar[data-status=failed]', 'data-key')).toEqual(['print', 'ship']);
    expect(dom.attrs('.row', 'style').map((s) => /--depth:(\d)/.exec(s)![1])).toEqual(['0', '1', '0', '1', '0', '0', '1', '0', '1', '1', '0', '0', '1', '1', '0']);
    expect(dom.attrs('.elbow', 'class')).toHaveLength(7);
    // After a hand-over, each row says where the step ran.
    expect(dom.attrs('.engine', 'data-engine')).toEqual(KEYS.map((k) => (['reserve', 'charge', 'note', 'route', 'standard', 'lines', 'lines[0]/pick', 'lines[1]/pick'].includes(k) ? 'local' : 'temporal')));
    expect(dom.one('[data-step-key=route] .meta').textContent).toBe('switch · default case');
    expect(dom.one('[data-step-key=charge] .meta').textContent).toBe('test.flaky · 3 attempts');
    expect(dom.one('[data-step-key=charge]').getAttribute('aria-label')).toBe('step charge: compensated, 300ms');
  });

  it('has one bar per attempt of a retried step, the failed ones and the last, and shows the retry errors', async () => {
    const dom = await parse(renderTimelinePage(await orderExport()));
    expect(dom.attrs('button.attempt', 'data-key', 'data-attempt', 'data-failed', 'data-panel')).toEqual([
      'charge:1:true:attempt:charge:1',
      'charge:2:true:attempt:charge:2',
      'charge:3:false:attempt:charge:3',
    ]);
    // Placed on the axis: 0, 100 and 300 ms of 300.
    expect(dom.attrs('button.attempt', 'style').map((s) => /left:([\d.]+)%/.exec(s)![1])).toEqual(['0.000', '33.333', '100.000']);
    expect(dom.one('.row[data-row=charge]').getAttribute('class')).toBe('row retried');
    expect(dom.one('.retries[data-key=charge]').textContent).toBe(`#1 Transient: payment provider unavailable · #2 Transient: provider said ${HOSTILE}`);
    expect(dom.one('.attempt[data-attempt="2"]').getAttribute('title')).toBe(`attempt 2: failed after 0ms — Transient: provider said ${HOSTILE}`);
  });

  it('shows the signal, the rejected signal, the hand-over, the log, the compensations, as markers and events', async () => {
    const dom = await parse(renderTimelinePage(await orderExport()));
    expect(dom.attrs('.marker', 'data-marker', 'data-lane', 'text')).toEqual(['signal:0:signal approve', 'rejected-signal:0:rejected approve', 'handover:1:local → temporal']);
    expect(dom.attrs('.marker[data-signal]', 'data-signal')).toEqual(['0']);
    expect(dom.attrs('.marker[data-handover] .marker-label', 'data-panel')).toEqual(['handover:0']);
    expect(dom.attrs('.compensation', 'data-key', 'data-status')).toEqual(['reserve:completed', 'charge:completed']);
    expect(dom.attrs('.log-mark', 'data-log', 'data-level', 'data-panel')).toEqual(['0:info:log:0']);
    expect(dom.attrs('.events .event', 'data-event', 'data-panel')).toEqual(['signal:signal:0', 'log:log:0', 'rejected-signal:rejected-signal:0', 'handover:handover:0', 'compensation:compensation:0', 'compensation:compensation:1']);
    expect(dom.one('.event[data-handover="0"] .text').textContent).toBe(`handed over from local to temporal: reachable again ${HOSTILE}`);
    expect(dom.one('.chart').getAttribute('style')).toBe('--lanes:2');
  });

  it('has a header with the workflow, run, status, engines, trigger, times and the outcome', async () => {
    const run = await orderExport();
    const dom = await parse(renderTimelinePage(run));
    expect(dom.document.title).toBe(`order-fulfilment v1.4.0 · ${run.runId}`);
    expect(dom.one('h1').textContent).toBe('order-fulfilment v1.4.0');
    expect(dom.one('.description').textContent).toBe('Reserve the items, charge the card, wait for the warehouse, then ship.');
    expect(dom.attrs('#run-status', 'data-status', 'text')).toEqual(['failed:failed']);
    expect(dom.one('[data-run=id] dd').textContent).toBe(run.runId);
    expect(dom.one('[data-run=engine] dd').textContent).toBe('local → temporal');
    expect(dom.one('[data-run=trigger] dd').textContent).toBe('cli input {}');
    expect(dom.one('[data-run=started] dd').textContent).toBe('2026-01-01 00:00:00.000 UTC');
    expect(dom.one('[data-run=ended] dd').textContent).toBe('00:00:00.300 UTC');
    expect(dom.one('[data-run=duration] dd').textContent).toBe('300ms');
    expect(dom.one('.outcome').textContent).toBe(`error Unavailable: no carrier ${HOSTILE}`);
    expect(dom.one('.outcome button').getAttribute('data-panel')).toBe('run:error');
  });

  it('marks a cancelled run: its status, the cancel request in the header and on the axis', async () => {
    const dom = await parse(renderTimelinePage(await cancelledExport()));
    expect(dom.attrs('#run-status', 'text')).toEqual(['cancelled']);
    expect(dom.one('[data-run=cancel] dd').textContent).toBe(`operator said ${HOSTILE}`.slice(0, 79) + '…');
    expect(dom.one('[data-run=cancel] button').getAttribute('data-panel')).toBe('cancel:0');
    expect(dom.attrs('.marker', 'data-marker', 'data-cancel', 'text')).toEqual(['cancel::cancel requested']);
    expect(dom.attrs('.events .event', 'data-event')).toEqual(['cancel', 'compensation']);
    expect(dom.attrs('.bar', 'data-key', 'data-status')).toEqual(['book:compensated', 'book~/unbook:completed', 'nap:failed']);
  });

  it('draws a run going on up to now, its running step striped to the end', async () => {
    const run = await runningExport('gate');
    const dom = await parse(renderTimelinePage(run, Date.parse(run.startedAt!) + 2000));
    expect(dom.attrs('#run-status', 'text')).toEqual(['running']);
    expect(dom.one('[data-run=ended] dd').textContent).toBe('still running');
    expect(dom.one('[data-run=duration] dd').textContent).toBe('2s so far');
    expect(dom.one('.bar[data-key=gate]').getAttribute('data-status')).toBe('running');
    expect(dom.one('.bar[data-key=gate]').getAttribute('style')).toBe('left:15.000%;width:max(2px, 85.000%)');
    expect(dom.attrs('.axis .scale span', 'text')).toEqual(['0ms', '500ms', '1s', '1.5s', '2s']);
  });

  it('renders a run that has no step yet', async () => {
    const run = await orderExport();
    const started = run.events.slice(0, 1);
    const dom = await parse(renderTimelinePage(historyExport(RunRecorder.fold(started), run.bundle, started), Date.parse(run.startedAt!) + 10));
    expect(dom.attrs('.row', 'data-row')).toEqual([]);
    expect(dom.one('.chart .empty').textContent).toBe('No step has started.');
    expect(dom.one('.events .empty').textContent).toContain('No signals');
  });
});

describe('the page keeps recorded values as data', () => {
  /** Every place a recorded string can come from, hostile. */
  async function hostileRun(): Promise<HistoryExport> {
    const run = await orderExport();
    return { ...run, workflow: `w${HOSTILE}`, version: HOSTILE, runId: `r${HOSTILE}`, trigger: { ...run.trigger, by: HOSTILE, input: { x: HOSTILE } }, logs: run.logs.map((l) => ({ ...l, message: HOSTILE, level: HOSTILE })) };
  }

  it('never lets a value end the JSON island or the script, or become an element', async () => {
    const html = renderTimelinePage(await hostileRun());
    expect(html.match(/<\/script/gi)).toHaveLength(2); // the island's and the script's own
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!--');
    const json = /<script type="application\/json" id="revo-data">(.*?)<\/script>/s.exec(html)![1]!;
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    const dom = await parse(html);
    expect(dom.document.querySelectorAll('script')).toHaveLength(2);
    expect(dom.document.querySelectorAll('img, iframe, object, embed, link, base, form')).toHaveLength(0);
    expect([...dom.document.querySelectorAll('*')].flatMap((n) => ['onerror', 'onload', 'onclick'].filter((a) => n.hasAttribute(a)))).toEqual([]);
    // …while showing it as text.
    expect(dom.one('h1').textContent).toBe(`w${HOSTILE} v${HOSTILE}`);
    expect(dom.one('[data-run=trigger] dd').textContent).toContain(HOSTILE);
    expect(dom.one('.event[data-event=log] .text').textContent).toBe(`${HOSTILE}: ${HOSTILE}`);
  });

  it('carries the details as JSON that parses back to the values recorded', async () => {
    const run = await hostileRun();
    const html = renderTimelinePage(run);
    const { panels } = island(html);
    expect(panels).toEqual(panelsOf(run, timelineOf(run, Date.now(), run.events)));
    expect(panels['step:charge']!.blocks).toContainEqual({ name: 'input', json: { amount: 42, currency: 'EUR', note: HOSTILE } });
    expect(panels['signal:0']!.blocks).toEqual([{ name: 'payload', json: SIGNAL }]);
    expect(panels['run:input']!.blocks).toEqual([{ name: 'input', json: { x: HOSTILE } }]);
  });

  it('loads nothing: no URL, no external resource, a policy that forbids them', async () => {
    const html = renderTimelinePage(await hostileRun());
    expect(html).not.toMatch(/https?:|\/\/[a-z]|url\(|@import/i);
    const dom = await parse(html);
    expect(dom.document.querySelectorAll('[src], [href], [srcset], [action], [poster]')).toHaveLength(0);
    expect(dom.one('meta[http-equiv=Content-Security-Policy]').getAttribute('content')).toMatch(/^default-src 'none';/);
  });
});

describe('the page script', () => {
  it('shows a step, an attempt, a marker, an event or the run input in the details panel, with textContent', async () => {
    const run = await orderExport();
    const dom = await parse(renderTimelinePage(run), { scripts: true });
    const details = dom.one('#details');
    const field = (name: string) => dom.one(`#details pre[data-field=${name}]`).textContent!;

    dom.one('[data-step-key=charge]').click();
    expect(details.getAttribute('data-panel-shown')).toBe('step:charge');
    expect(dom.one('#details h2').textContent).toBe('charge');
    expect(dom.attrs('#details .badge', 'data-status')).toEqual(['compensated']);
    expect(JSON.parse(field('input'))).toEqual({ amount: 42, currency: 'EUR', note: HOSTILE });
    expect(JSON.parse(field('output'))).toEqual({ amount: 42, currency: 'EUR', note: HOSTILE });
    expect(field('attempts').split('\n')).toEqual([
      '#1  +0ms  0ms  failed: Transient: payment provider unavailable  (retried after 100ms)',
      `#2  +100ms  0ms  failed: Transient: provider said ${HOSTILE}  (retried after 200ms)`,
      '#3  +300ms  0ms  succeeded',
    ]);
    expect(dom.attrs('#details [data-fact]', 'data-fact')).toEqual(['kind', 'engine', 'started', 'ended', 'duration', 'attempts']);
    expect(dom.one('#details [data-fact=started] dd').textContent).toBe('+0ms · 2026-01-01T00:00:00.000Z');
    expect(dom.attrs('[aria-current=true]', 'class', 'data-panel')).toEqual(['label:step:charge', 'bar retried:step:charge']);

    dom.one('.attempt[data-attempt="2"]').click();
    expect(dom.one('#details h2').textContent).toBe('charge · attempt 2 of 3');
    expect(JSON.parse(field('error'))).toEqual({ type: 'Transient', message: `provider said ${HOSTILE}`, step: 'charge', attempt: 2 });
    expect(dom.attrs('[aria-current=true]', 'class', 'data-panel')).toEqual(['label:step:charge', 'attempt:attempt:charge:2']);

    dom.one('.bar[data-key=ship]').click();
    expect(details.getAttribute('data-panel-shown')).toBe('step:ship');
    dom.one('.marker[data-signal="0"] .marker-label').click();
    expect(JSON.parse(field('payload'))).toEqual(SIGNAL);
    dom.one('.event[data-rejected-signal="0"]').click();
    expect(field('reason')).toBe(`the payload ${HOSTILE} does not match`);
    dom.one('.log-mark').click();
    expect(JSON.parse(field('data'))).toEqual({ card: '**** 4242' });
    dom.one('[data-panel="run:input"]').click();
    expect(JSON.parse(field('input'))).toEqual({});

    expect(dom.document.querySelectorAll('img, #details script')).toHaveLength(0);
    expect(dom.window.pwned).toBeUndefined();
  });

  it('moves between steps with the arrow keys and clears the selection with Escape', async () => {
    const dom = await parse(renderTimelinePage(await orderExport()), { scripts: true });
    const key = (name: string) => dom.document.activeElement!.dispatchEvent(new dom.window.KeyboardEvent('keydown', { key: name, bubbles: true }));
    dom.one('[data-step-key=charge]').focus();
    key('ArrowDown');
    expect(dom.document.activeElement!.getAttribute('data-step-key')).toBe('charge~/refund');
    key('ArrowUp');
    key('ArrowUp');
    expect(dom.document.activeElement!.getAttribute('data-step-key')).toBe('reserve~/release');
    dom.document.activeElement!.click();
    expect(dom.one('#details').getAttribute('data-panel-shown')).toBe('step:reserve~/release');
    key('Escape');
    expect(dom.one('#details').hasAttribute('data-panel-shown')).toBe(false);
    expect(dom.one('#details').textContent).toContain('Select a step');
    expect(dom.document.querySelectorAll('[aria-current]')).toHaveLength(0);
  });
});
