/**
 * `revo history <runId> --html`: one self-contained page with the run's timeline — no
 * network at all (inline style and script, and a Content-Security-Policy that forbids
 * loading anything). The rows, bars and markers are rendered here as HTML with every
 * recorded value escaped; what the details panel shows travels as JSON in a
 * `<script type="application/json">` that no value can break out of, and the page's
 * script writes it into the DOM with textContent only.
 *
 * Hooks for tests and tools (stable):
 *   #run-status[data-status]             the run's status; header facts are [data-run=id|engine|trigger|rerun|started|ended|duration|cancel]
 *   [data-panel=<id>]                    anything that opens a details panel (ids: see details.ts)
 *   .row[data-row=<key>]                 one per step instance, in tree order; --depth is its nesting; [data-reused] when the step
 *                                        was answered from the run this one re-runs (docs/replay.md#re-run-from-a-step), whose
 *                                        label then holds .reused and whose bar has data-reused too
 *   button.label[data-step-key=<key>]    the step's name: focusable, opens `step:<key>`; inside: .dot[data-status], .name, .meta, .engine[data-engine]
 *   .bar[data-key][data-status]          the step's bar (completed, failed, skipped, compensated, running)
 *   button.attempt[data-key][data-attempt][data-failed]   one per attempt of a retried step, the failed ones and the last
 *   .retries[data-key]                   the errors of a retried step's failed attempts, under its bar
 *   .compensation[data-key][data-status] when the step's compensation ran
 *   .log-mark[data-log=<i>][data-level]  a message the step logged (i: index in record.logs)
 *   .marker[data-marker=signal|rejected-signal|handover|cancel][data-lane]   a line across the timeline, with
 *                                        data-signal / data-rejected-signal / data-handover = index in the record's list, or data-cancel;
 *                                        its label is button.marker-label
 *   .events .event[data-event=<kind>]    the run's events in time order (the kinds above, plus compensation and log),
 *                                        with the same data-<kind>=<i> attributes (data-compensation, data-log too)
 *   #details[data-panel-shown=<id>]      the details panel: .badge[data-status], [data-fact=<name>] facts, pre[data-field=<name>] values
 */
import type { HistoryExport } from '../export.js';
import { panelsOf } from './details.js';
import { clip, duration, esc, jsonForScript } from './format.js';
import { PAGE_SCRIPT } from './script.js';
import { PAGE_STYLE } from './style.js';
import { timelineOf, type Span, type Timeline, type TimelineEvent, type TimelineMarker, type TimelineRow } from './timeline.js';

export { esc, jsonForScript } from './format.js';

const STATUSES = ['completed', 'failed', 'skipped', 'compensated', 'running'] as const;

export function renderTimelinePage(run: HistoryExport, now: number = Date.now()): string {
  const timeline = timelineOf(run, now, run.events);
  const panels = panelsOf(run, timeline);
  const title = `${run.workflow}${run.version !== undefined ? ` v${run.version}` : ''} · ${run.runId}`;
  const description = run.bundle?.definition?.description;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="revo history --html">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${header(run, timeline, description)}
<main>
  <section class="timeline" aria-label="Timeline">
    <div class="timeline-inner">
      ${legend(run.steps.some((s) => s.reused))}
      <div class="axis" aria-hidden="true"><span class="gutter"></span><div class="scale">${timeline.ticks.map((t) => `<span style="left:${pct(t, timeline)}">${esc(duration(t))}</span>`).join('')}</div></div>
      <div class="chart" style="--lanes:${timeline.lanes}">
        <div class="gridlines" aria-hidden="true">${timeline.ticks.map((t) => `<span class="grid" style="left:${pct(t, timeline)}"></span>`).join('')}</div>
        ${timeline.rows.length > 0 ? timeline.rows.map((r) => row(r, timeline, run.handovers.length > 0)).join('\n        ') : '<p class="empty">No step has started.</p>'}
        <div class="overlay">${timeline.markers.map((m) => marker(m, timeline)).join('')}</div>
      </div>
    </div>
  </section>
  <aside id="details" aria-live="polite" aria-label="Details" tabindex="-1"><p class="hint">Select a step, an attempt, a marker or an event to see its details.</p></aside>
  ${events(timeline.events)}
</main>
<script type="application/json" id="revo-data">${jsonForScript({ panels })}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

const pct = (t: number, timeline: Timeline) => `${((Math.min(Math.max(0, t), timeline.length) / timeline.length) * 100).toFixed(3)}%`;
const place = (span: Span, timeline: Timeline) => {
  const from = Math.min(Math.max(0, span.from), timeline.length);
  const to = Math.min(Math.max(from, span.to), timeline.length);
  return `left:${pct(from, timeline)};width:max(2px, ${(((to - from) / timeline.length) * 100).toFixed(3)}%)`;
};
const stamp = (iso: string | undefined) => (iso === undefined ? undefined : iso.replace('T', ' ').replace(/Z$/, ' UTC'));
/** The end as a time of day when the run ended on the day it started. */
const endStamp = (started: string | undefined, ended: string | undefined) =>
  ended !== undefined && started?.slice(0, 10) === ended.slice(0, 10) ? stamp(ended)!.slice(11) : stamp(ended);

function header(run: HistoryExport, timeline: Timeline, description: string | undefined): string {
  const engines = run.handovers.length > 0 ? [run.handovers[0]!.from, ...run.handovers.map((h) => h.to)].join(' → ') : run.engine;
  const fact = (name: string, label: string, html: string) => `<div data-run="${name}"><dt>${esc(label)}</dt><dd>${html}</dd></div>`;
  const input = JSON.stringify(run.trigger.input) ?? 'null';
  const outcome = run.error
    ? { panel: 'run:error', label: 'error', text: `${run.error.type}: ${run.error.message}` }
    : run.output !== undefined
      ? { panel: 'run:output', label: 'output', text: JSON.stringify(run.output) ?? 'null' }
      : undefined;
  return `<header class="run">
  <div class="heading">
    <h1>${esc(run.workflow)}${run.version !== undefined ? ` <span class="version">v${esc(run.version)}</span>` : ''}</h1>
    <span id="run-status" class="badge" data-status="${esc(run.status)}">${esc(run.status)}</span>
  </div>
  ${description ? `<p class="description">${esc(clip(description, 300))}</p>` : ''}
  <dl class="facts">
    ${fact('id', 'run', `<code>${esc(run.runId)}</code>`)}
    ${fact('engine', run.handovers.length > 0 ? 'engines' : 'engine', esc(engines))}
    ${fact('trigger', 'started by', `${esc(run.trigger.by || '-')} <button type="button" class="link" data-panel="run:input">input</button> <code class="preview">${esc(clip(input, 60))}</code>`)}
    ${run.rerun ? fact('rerun', 're-run of', `<code>${esc(run.rerun.of)}</code> from step <code>${esc(run.rerun.from)}</code> · ${run.steps.filter((s) => s.reused).length} reused`) : ''}
  </dl>
  <dl class="facts">
    ${fact('started', 'started', esc(stamp(run.startedAt) ?? '-'))}
    ${fact('ended', 'ended', esc(endStamp(run.startedAt, run.endedAt) ?? (run.status === 'running' ? 'still running' : '-')))}
    ${fact('duration', 'duration', `${esc(duration(timeline.length))}${run.status === 'running' ? ' so far' : ''}`)}
    ${run.cancelRequested ? fact('cancel', 'cancel requested', `<button type="button" class="link" data-panel="cancel:0">${esc(clip(run.cancelRequested.reason, 80))}</button>`) : ''}
  </dl>
  ${outcome ? `<p class="outcome" data-status="${esc(run.status)}"><button type="button" class="link" data-panel="${outcome.panel}">${outcome.label}</button> <code>${esc(clip(outcome.text, 200))}</code></p>` : ''}
</header>`;
}

function legend(reused: boolean): string {
  const items = [
    ...STATUSES.map((s) => `<li><span class="swatch" data-status="${s}"></span>${s}</li>`),
    '<li><span class="swatch attempt-failed"></span>failed attempt</li>',
    '<li><span class="swatch comp"></span>compensation</li>',
    '<li><span class="swatch line" data-marker="signal"></span>signal</li>',
    '<li><span class="swatch line" data-marker="handover"></span>hand-over</li>',
    ...(reused ? ['<li><span class="swatch reused-step"></span>reused (answered from the run re-run)</li>'] : []),
  ];
  return `<ul class="legend" aria-label="Legend">${items.join('')}</ul>`;
}

function row(r: TimelineRow, timeline: Timeline, handedOver: boolean): string {
  const s = r.step;
  const key = esc(s.key);
  const meta = [s.activity ?? s.kind, r.decision, s.attempts !== undefined && s.attempts > 1 ? `${s.attempts} attempts` : undefined, s.status === 'skipped' ? 'skipped' : undefined, s.reused ? 'reused' : undefined]
    .filter(Boolean)
    .join(' · ');
  const length = r.bar ? duration(r.bar.to - r.bar.from) : undefined;
  const label = `<button type="button" class="label" data-step-key="${key}" data-panel="step:${key}" aria-label="${esc(`step ${s.key}: ${s.status}${r.decision ? `, ${r.decision}` : ''}${length ? `, ${length}` : ''}`)}">${r.depth > 0 ? '<span class="elbow" aria-hidden="true"></span>' : ''}<span class="dot" data-status="${esc(s.status)}"></span><span class="name">${esc(s.id)}</span><span class="meta">${esc(meta)}</span>${s.reused ? '<span class="reused" title="answered from the recorded run this one re-runs: nothing ran for it here">reused</span>' : ''}${handedOver && s.engine ? `<span class="engine" data-engine="${esc(s.engine)}">${esc(s.engine)}</span>` : ''}</button>`;

  const parts: string[] = [];
  if (r.bar) {
    parts.push(`<span class="bar${r.attempts.length > 0 ? ' retried' : ''}" data-key="${key}" data-status="${esc(s.status)}"${s.reused ? ' data-reused=""' : ''} data-panel="step:${key}" style="${place(r.bar, timeline)}" title="${esc(`${s.key}: ${s.status}, ${length}`)}"></span>`);
  }
  for (const a of r.attempts) {
    const what = `attempt ${a.attempt}: ${a.failed ? 'failed' : s.status === 'running' && a === r.attempts.at(-1) ? 'running' : 'succeeded'} after ${duration(a.to - a.from)}${a.error ? ` — ${a.error}` : ''}`;
    parts.push(`<button type="button" class="attempt" data-key="${key}" data-attempt="${a.attempt}" data-failed="${a.failed}" data-panel="attempt:${key}:${a.attempt}" style="${place(a, timeline)}" title="${esc(what)}" aria-label="${esc(`${s.key}, ${what}`)}"></button>`);
  }
  if (r.compensation) {
    parts.push(`<span class="compensation" data-key="${key}" data-status="${esc(r.compensation.status)}" style="${place(r.compensation, timeline)}" title="${esc(`compensation ${r.compensation.status}`)}"></span>`);
  }
  for (const log of r.logs) parts.push(`<span class="log-mark" data-log="${log.index}" data-level="${esc(log.level)}" data-panel="log:${log.index}" style="left:${pct(log.at, timeline)}" title="log"></span>`);
  const failures = r.attempts.filter((a) => a.failed && a.error);
  if (failures.length > 0 && r.bar) {
    const left = pct(r.bar.from, timeline);
    parts.push(`<span class="retries" data-key="${key}" style="left:${left};max-width:calc(100% - ${left})">${esc(failures.map((a) => `#${a.attempt} ${a.error}`).join(' · '))}</span>`);
  }
  return `<div class="row${failures.length > 0 ? ' retried' : ''}" data-row="${key}"${s.reused ? ' data-reused=""' : ''} style="--depth:${r.depth}">${label}<div class="track">${parts.join('')}</div></div>`;
}

function marker(m: TimelineMarker, timeline: Timeline): string {
  const hook = m.kind === 'cancel' ? 'data-cancel=""' : `data-${m.kind}="${m.index}"`;
  const end = m.end ? ' end' : '';
  return `<div class="marker${end}" data-marker="${m.kind}" ${hook} data-lane="${m.lane}" style="left:${pct(m.at, timeline)};--lane:${m.lane}"><button type="button" class="marker-label" data-panel="${m.kind}:${m.index}" title="${esc(`${m.label} at +${duration(m.at)}`)}">${esc(m.label)}</button></div>`;
}

function events(list: TimelineEvent[]): string {
  if (list.length === 0) return '<section class="events" aria-label="Events"><h2>Events</h2><p class="empty">No signals, hand-overs, cancel request, compensations or log messages.</p></section>';
  const items = list.map((e) => {
    const when = e.at === undefined ? '' : `+${duration(e.at)}`;
    return `<li><button type="button" class="event" data-event="${e.kind}" data-${e.kind}="${e.index}" data-panel="${e.kind}:${e.index}"><span class="when">${esc(when)}</span><span class="kind" data-kind="${e.kind}">${esc(e.kind.replace('-', ' '))}</span><span class="text">${esc(clip(e.text, 240))}</span></button></li>`;
  });
  return `<section class="events" aria-label="Events"><h2>Events <span class="count">${list.length}</span></h2><ol>${items.join('')}</ol></section>`;
}
