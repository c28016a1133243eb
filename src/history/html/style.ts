/** The page's stylesheet (inline, and only system fonts: the page loads nothing). */
export const PAGE_STYLE = `
:root {
  --label: 300px; --pad: 28px; --row: 30px; --lane-h: 20px;
  --ink: #1f2328; --mute: #656d76; --faint: #8c959f; --line: #e4e7eb; --soft: #f6f8fa; --bg: #fff; --accent: #2563eb;
  --completed: #2f9e44; --failed: #e03131; --skipped: #adb5bd; --compensated: #9c36b5; --running: #1c7ed6; --cancelled: #e8590c;
  --signal: #e67700; --handover: #7048e8; --cancel: #c92a2a;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
code, pre { font-family: var(--mono); }
button { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
[data-status] { --c: var(--faint); }
[data-status=completed], [data-status=received], [data-status=info] { --c: var(--completed); }
[data-status=failed], [data-status=rejected], [data-status=error] { --c: var(--failed); }
[data-status=skipped], [data-status=debug] { --c: var(--skipped); }
[data-status=compensated] { --c: var(--compensated); }
[data-status=running] { --c: var(--running); }
[data-status=cancelled], [data-status=warn] { --c: var(--cancelled); }

/* header */
header.run { padding: 16px 24px 14px; border-bottom: 1px solid var(--line); background: linear-gradient(#fafbfc, #fff); }
.heading { display: flex; align-items: center; flex-wrap: wrap; gap: 10px; }
h1 { margin: 0; font-size: 20px; font-weight: 650; letter-spacing: -.01em; }
.version { color: var(--mute); font-size: 14px; font-weight: 500; }
.description { margin: 4px 0 0; color: var(--mute); max-width: 80ch; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 11.5px; font-weight: 600; color: var(--c); background: color-mix(in srgb, var(--c) 12%, #fff); border: 1px solid color-mix(in srgb, var(--c) 40%, #fff); }
.facts { display: flex; flex-wrap: wrap; gap: 6px 24px; margin: 10px 0 0; }
.facts div { display: flex; align-items: baseline; gap: 6px; min-width: 0; }
.facts + .facts { margin-top: 4px; }
.facts dt { color: var(--mute); font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
.facts dd { margin: 0; font-weight: 500; overflow-wrap: anywhere; }
.facts code { font-size: 12px; }
button.link { background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-decoration: underline; text-underline-offset: 2px; }
.facts code.preview { color: var(--mute); font-size: 11.5px; }
.outcome { margin: 10px 0 0; display: flex; gap: 8px; align-items: baseline; }
.outcome code { background: var(--soft); border: 1px solid var(--line); padding: 1px 6px; border-radius: 4px; font-size: 12px; overflow-wrap: anywhere; }
.outcome[data-status=failed] code, .outcome[data-status=cancelled] code { color: var(--c); background: color-mix(in srgb, var(--c) 6%, #fff); border-color: color-mix(in srgb, var(--c) 30%, #fff); }

/* layout */
main { display: grid; grid-template-columns: minmax(0, 1fr) 380px; grid-template-areas: "timeline details" "events details"; grid-template-rows: auto 1fr; }
.timeline { grid-area: timeline; overflow-x: auto; padding: 10px 0 12px; }
.timeline-inner { min-width: 620px; }
#details { grid-area: details; position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; padding: 14px 18px 24px; border-left: 1px solid var(--line); background: var(--soft); min-height: 240px; }
.events { grid-area: events; padding: 8px 24px 28px; border-top: 1px solid var(--line); }
.empty, .hint { color: var(--mute); margin: 8px 24px; }
#details .hint { margin: 0; }

/* legend and axis */
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; list-style: none; margin: 0 var(--pad) 8px calc(var(--label)); padding: 0; color: var(--mute); font-size: 11.5px; }
.legend li { display: flex; align-items: center; gap: 5px; }
.swatch { width: 14px; height: 8px; border-radius: 2px; background: var(--c); }
.swatch.attempt-failed { background: repeating-linear-gradient(45deg, var(--failed) 0 3px, #ffa8a8 3px 6px); }
.swatch.comp { height: 4px; background: var(--compensated); }
.swatch.reused-step { background: color-mix(in srgb, var(--completed) 35%, #fff); box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--completed) 70%, #fff); }
.swatch.line { width: 0; height: 12px; border-left: 2px solid var(--signal); border-radius: 0; background: none; }
.swatch.line[data-marker=handover] { border-left: 3px solid var(--handover); }
.axis { display: flex; position: sticky; top: 0; z-index: 3; height: 22px; background: var(--bg); border-bottom: 1px solid var(--line); }
.gutter { flex: 0 0 var(--label); }
.scale { position: relative; flex: 1; margin-right: var(--pad); }
.scale span { position: absolute; top: 4px; transform: translateX(-50%); color: var(--faint); font-size: 11px; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scale span:first-child { transform: none; }

/* rows */
.chart { position: relative; padding-top: calc(var(--lanes) * var(--lane-h) + 4px); }
.row { position: relative; display: flex; align-items: stretch; height: var(--row); border-bottom: 1px solid #f1f3f5; }
.row:hover { background: #fafbfc; }
.row.retried { height: 48px; }
.label { flex: 0 0 var(--label); display: flex; align-items: center; gap: 6px; min-width: 0; padding: 0 10px 0 calc(14px + var(--depth) * 16px); background: none; border: 0; text-align: left; cursor: pointer; white-space: nowrap; overflow: hidden; }
.label:hover .name { text-decoration: underline; text-underline-offset: 2px; }
.label[aria-current=true] { background: #e8f0fe; box-shadow: inset 3px 0 0 var(--accent); }
.label:focus-visible { outline-offset: -2px; }
.elbow { flex: 0 0 8px; height: 9px; margin-top: -7px; border-left: 1px solid #ced4da; border-bottom: 1px solid #ced4da; border-bottom-left-radius: 3px; }
.dot { flex: 0 0 8px; height: 8px; border-radius: 50%; background: var(--c); }
.dot[data-status=skipped] { background: none; box-shadow: inset 0 0 0 1.5px var(--skipped); }
.name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; flex: 0 0 auto; max-width: 75%; }
.meta { color: var(--mute); overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; min-width: 0; }
.engine { flex: none; margin-left: auto; padding: 0 6px; border-radius: 4px; font-size: 10.5px; font-weight: 600; color: var(--mute); background: #eef0f3; }
.engine[data-engine=temporal] { color: var(--handover); background: #f0ecff; }
.reused { flex: none; padding: 0 6px; border-radius: 4px; font-size: 10.5px; font-weight: 600; color: #495057; background: #e9ecef; }
.track { position: relative; flex: 1; margin-right: var(--pad); }
.bar[data-reused] { background: color-mix(in srgb, var(--c) 35%, #fff); box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--c) 70%, #fff); }
.bar { position: absolute; top: 8px; height: 14px; min-width: 2px; border-radius: 3px; background: var(--c); cursor: pointer; }
.row.retried .bar { top: 7px; }
.bar[data-status=running] { background-image: repeating-linear-gradient(45deg, transparent 0 6px, rgba(255,255,255,.35) 6px 12px); }
.bar.retried { background: color-mix(in srgb, var(--c) 16%, #fff); box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--c) 45%, #fff); }
.attempt { position: absolute; top: 7px; height: 14px; min-width: 3px; padding: 0; border: 0; border-radius: 3px; background: var(--completed); box-shadow: inset 0 0 0 1px rgba(0,0,0,.12); cursor: pointer; }
.bar[data-status=running] ~ .attempt[data-failed=false] { background: var(--running); }
.bar[data-status=compensated] ~ .attempt[data-failed=false] { background: var(--compensated); }
.attempt[data-failed=true] { background: repeating-linear-gradient(45deg, var(--failed) 0 4px, #ff8787 4px 8px); }
.attempt:hover, .attempt[aria-current=true] { box-shadow: 0 0 0 2px var(--ink); z-index: 1; }
.compensation { position: absolute; top: 24px; height: 4px; min-width: 2px; border-radius: 2px; background: var(--compensated); }
.row.retried .compensation { top: 23px; }
.compensation[data-status=failed] { background: var(--failed); }
.compensation[data-status=running] { background: var(--running); }
.log-mark { position: absolute; top: 3px; width: 7px; height: 7px; margin-left: -3px; transform: rotate(45deg); background: #868e96; border: 1px solid #fff; cursor: pointer; z-index: 1; }
.log-mark[data-level=warn] { background: var(--cancelled); } .log-mark[data-level=error] { background: var(--failed); } .log-mark[data-level=info] { background: var(--running); }
.retries { position: absolute; top: 27px; font-size: 11px; color: var(--failed); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; pointer-events: none; }

/* markers */
.overlay, .gridlines { position: absolute; top: 0; bottom: 0; left: var(--label); right: var(--pad); pointer-events: none; }
.overlay { z-index: 2; }
.grid { position: absolute; top: 0; bottom: 0; border-left: 1px dashed #eceef1; }
.marker { --m: var(--signal); position: absolute; top: 0; bottom: 0; width: 0; border-left: 2px solid var(--m); }
.marker[data-marker=rejected-signal] { --m: var(--failed); border-left-style: dashed; }
.marker[data-marker=handover] { --m: var(--handover); border-left-width: 3px; }
.marker[data-marker=cancel] { --m: var(--cancel); }
.marker-label { position: absolute; top: calc(var(--lane, 0) * var(--lane-h) + 2px); left: 3px; pointer-events: auto; cursor: pointer; white-space: nowrap; padding: 0 6px; font-size: 11px; line-height: 16px; font-weight: 600; color: color-mix(in srgb, var(--m) 75%, #000); background: color-mix(in srgb, var(--m) 12%, #fff); border: 1px solid color-mix(in srgb, var(--m) 45%, #fff); border-radius: 4px; }
.marker.end .marker-label { left: auto; right: 3px; }
.marker[data-marker=handover] .marker-label { left: 4px; } .marker.end[data-marker=handover] .marker-label { left: auto; right: 4px; }
.marker-label:hover, .marker-label[aria-current=true] { background: color-mix(in srgb, var(--m) 25%, #fff); }

/* events */
.events h2 { font-size: 13px; margin: 6px 0 6px; color: var(--mute); text-transform: uppercase; letter-spacing: .04em; }
.events .count { font-weight: 500; color: var(--faint); }
.events ol { list-style: none; margin: 0; padding: 0; }
.event { display: grid; grid-template-columns: 64px 112px minmax(0, 1fr); gap: 10px; align-items: baseline; width: 100%; padding: 3px 8px; text-align: left; background: none; border: 0; border-radius: 4px; cursor: pointer; }
.event:hover { background: var(--soft); } .event[aria-current=true] { background: #e8f0fe; }
.event .when { color: var(--faint); font-variant-numeric: tabular-nums; text-align: right; }
.event .kind { --k: var(--faint); justify-self: start; padding: 0 6px; border-radius: 4px; font-size: 11px; font-weight: 600; color: color-mix(in srgb, var(--k) 80%, #000); background: color-mix(in srgb, var(--k) 12%, #fff); }
.kind[data-kind=signal] { --k: var(--signal); } .kind[data-kind=rejected-signal], .kind[data-kind=cancel] { --k: var(--failed); }
.kind[data-kind=handover] { --k: var(--handover); } .kind[data-kind=compensation] { --k: var(--compensated); } .kind[data-kind=log] { --k: var(--running); }
.event .text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }

/* details */
.panel-head { display: flex; align-items: center; gap: 8px; }
.panel-kind { color: var(--mute); font-size: 11px; text-transform: uppercase; letter-spacing: .05em; }
#details h2 { margin: 4px 0 10px; font-size: 15px; overflow-wrap: anywhere; }
.panel-facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 3px 12px; margin: 0 0 6px; }
.panel-facts div { display: contents; }
.panel-facts dt { color: var(--mute); }
.panel-facts dd { margin: 0; overflow-wrap: anywhere; }
#details h3 { margin: 14px 0 4px; font-size: 11px; color: var(--mute); text-transform: uppercase; letter-spacing: .05em; }
#details pre { margin: 0; max-height: 360px; overflow: auto; padding: 8px 10px; background: #fff; border: 1px solid var(--line); border-radius: 6px; font-size: 12px; line-height: 1.5; white-space: pre-wrap; overflow-wrap: anywhere; }

@media (max-width: 1000px) {
  :root { --label: 230px; --pad: 18px; }
  main { grid-template-columns: minmax(0, 1fr); grid-template-areas: "timeline" "details" "events"; }
  #details { position: static; max-height: none; min-height: 0; border-left: 0; border-top: 1px solid var(--line); }
}
@media (max-width: 640px) {
  :root { --label: 150px; }
  header.run { padding: 12px 14px; }
  .events { padding: 8px 12px 20px; }
  .meta, .legend { display: none; }
  .event { grid-template-columns: 52px minmax(0, 1fr); } .event .kind { display: none; }
}
@media print { .axis { position: static; } #details { position: static; max-height: none; } }
`;
