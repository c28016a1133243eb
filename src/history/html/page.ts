/**
 * `revo history <runId> --html`: one self-contained page (no network: inline style and
 * script) with the run's timeline. Rows and bars are rendered here as HTML; the record
 * travels as JSON in the page for the details panel, which the script fills with
 * textContent only.
 *
 * Hooks for tests and tools: each row's button has `data-step-key`; bars are
 * `.bar[data-status]`, attempts `.attempt[data-attempt][data-failed]`, compensations
 * `.compensation`, markers `.marker[data-marker=signal|rejected-signal|handover|cancel]`;
 * the details panel is `#details`, its values `[data-field=input|output|error|…]`.
 */
import type { HistoryExport } from '../export.js';
import { PAGE_SCRIPT } from './script.js';
import { PAGE_STYLE } from './style.js';
import { timelineOf, type Span, type TimelineRow } from './timeline.js';

export function renderTimelinePage(run: HistoryExport, now: number = Date.now()): string {
  const timeline = timelineOf(run, now);
  const pct = (t: number) => `${((Math.max(0, t) / timeline.length) * 100).toFixed(3)}%`;
  const place = (span: Span) => `left:${pct(span.from)};width:max(2px,${pct(span.to - span.from)})`;
  const title = `${run.workflow}${run.version !== undefined ? ` v${run.version}` : ''} · ${run.runId}`;
  const engines = run.handovers.length > 0 ? [run.handovers[0]!.from, ...run.handovers.map((h) => h.to)].join(' → ') : run.engine;

  const row = (r: TimelineRow) => {
    const s = r.step;
    const parts = [s.activity ?? s.kind, r.decision, s.attempts !== undefined && s.attempts > 1 ? `${s.attempts} attempts` : undefined, run.handovers.length > 0 ? s.engine : undefined].filter(Boolean);
    const attempts = r.attempts
      .map((a) => `<span class="attempt" data-attempt="${a.attempt}" data-failed="${a.failed}" style="${place(a)}" title="${esc(`attempt ${a.attempt}${a.error ? ` — ${a.error}` : ''}`)}"></span>`)
      .join('');
    const failed = r.attempts.filter((a) => a.failed && a.error);
    const retries = failed.length > 0 && r.bar ? `<span class="retries" style="left:${pct(r.bar.from)}">${esc(failed.map((a) => `#${a.attempt} ${a.error}`).join(' · '))}</span>` : '';
    return `<div class="row${failed.length > 0 ? ' retried' : ''}" style="--depth:${r.depth}">
  <button type="button" class="label" data-step-key="${esc(s.key)}" aria-label="${esc(`step ${s.key}, ${s.status}`)}"><span class="dot" data-status="${s.status}"></span><span class="name">${esc(s.id)}</span><span class="meta">${esc(parts.join(' · '))}</span></button>
  <div class="track">${r.bar ? `<span class="bar" data-status="${s.status}" data-key="${esc(s.key)}" style="${place(r.bar)}">${attempts}</span>` : ''}${r.compensation ? `<span class="compensation" data-status="${r.compensation.status}" style="${place(r.compensation)}" title="compensation ${esc(r.compensation.status)}"></span>` : ''}${retries}</div>
</div>`;
  };
  // Labels of markers close together go on alternate lanes, so they do not cover each other.
  let previous: { at: number; lane: number } | undefined;
  const markers = [...timeline.markers]
    .sort((a, b) => a.at - b.at)
    .map((m) => {
      const lane = previous && m.at - previous.at < timeline.length * 0.15 ? 1 - previous.lane : 0;
      previous = { at: m.at, lane };
      // A label near the right edge is drawn to the left of its line, so it stays on the page.
      return `<div class="marker${m.at > timeline.length * 0.8 ? ' end' : ''}" data-marker="${m.kind}" data-lane="${lane}" style="left:${pct(m.at)}" title="${esc(m.label)}"><span>${esc(m.label)}</span></div>`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<span style="left:${f * 100}%">${esc(duration(f * timeline.length))}</span>`).join('');
  const outcome = run.error ? `${run.error.type}: ${run.error.message}` : run.output !== undefined ? JSON.stringify(run.output) : '';

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>${esc(run.workflow)}${run.version !== undefined ? ` <small>v${esc(run.version)}</small>` : ''}</h1>
  <dl>
    <div><dt>run</dt><dd>${esc(run.runId)}</dd></div>
    <div><dt>status</dt><dd class="status" data-status="${run.status}">${esc(run.status)}</dd></div>
    <div><dt>engine</dt><dd>${esc(engines)}</dd></div>
    <div><dt>trigger</dt><dd>${esc(run.trigger.by)} <button type="button" class="link" data-run-field="input">input</button></dd></div>
    <div><dt>started</dt><dd>${esc(run.startedAt ?? '-')}</dd></div>
    <div><dt>duration</dt><dd>${esc(duration(timeline.length))}${run.status === 'running' ? ' so far' : ''}</dd></div>
  </dl>
  ${outcome ? `<p class="outcome" data-status="${run.status}"><button type="button" class="link" data-run-field="${run.error ? 'error' : 'output'}">${run.error ? 'error' : 'output'}</button> <code>${esc(outcome.length > 160 ? `${outcome.slice(0, 159)}…` : outcome)}</code></p>` : ''}
</header>
<main>
  <section class="timeline" aria-label="timeline">
    <div class="axis"><span class="label-space"></span><div class="ticks">${ticks}</div></div>
    <div class="rows">${timeline.rows.map(row).join('\n')}<div class="markers">${markers}</div></div>
  </section>
  <aside id="details" aria-live="polite"><p class="hint">Select a step to see its input and output.</p></aside>
</main>
<script type="application/json" id="revo-data">${jsonForScript({ run: { input: run.trigger.input, output: run.output ?? null, error: run.error ?? null }, steps: Object.fromEntries(run.steps.map((s) => [s.key, s])) })}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** Text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that cannot end the <script> element it sits in, whatever strings it holds. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
  return `${Math.floor(ms / 3_600_000)}h ${String(Math.round((ms % 3_600_000) / 60_000)).padStart(2, '0')}m`;
}
