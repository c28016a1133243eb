/** The page's stylesheet (inline: the page loads nothing). */
export const PAGE_STYLE = `
:root { --label: 300px; --row: 30px; --ok: #2f9e44; --fail: #e03131; --skip: #adb5bd; --comp: #9c36b5; --run: #1c7ed6; --ink: #212529; --mute: #6c757d; --line: #e9ecef; --bg: #fff; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { padding: 16px 20px 8px; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 8px; font-size: 18px; } h1 small { color: var(--mute); font-weight: normal; }
dl { display: flex; flex-wrap: wrap; gap: 6px 24px; margin: 0; }
dl div { display: flex; gap: 6px; } dt { color: var(--mute); } dd { margin: 0; font-weight: 500; }
.status[data-status=completed] { color: var(--ok); } .status[data-status=failed] { color: var(--fail); } .status[data-status=cancelled] { color: #e8590c; } .status[data-status=running] { color: var(--run); }
.outcome { margin: 8px 0 0; } .outcome code { background: #f8f9fa; padding: 1px 4px; border-radius: 3px; }
.outcome[data-status=failed] code { color: var(--fail); }
button.link { background: none; border: 0; padding: 0; color: var(--run); cursor: pointer; font: inherit; text-decoration: underline; }
main { display: grid; grid-template-columns: minmax(0, 1fr) 340px; min-height: calc(100vh - 90px); }
.timeline { padding: 8px 0 24px; overflow-x: auto; border-right: 1px solid var(--line); }
.axis { display: flex; position: sticky; top: 0; background: var(--bg); z-index: 2; height: 22px; border-bottom: 1px solid var(--line); }
.label-space { flex: 0 0 var(--label); }
.ticks { position: relative; flex: 1; margin-right: 24px; }
.ticks span { position: absolute; transform: translateX(-50%); color: var(--mute); font-size: 11px; top: 3px; }
.ticks span:first-child { transform: none; } .ticks span:last-child { transform: translateX(-100%); }
.rows { position: relative; }
.row { display: flex; align-items: center; height: var(--row); border-bottom: 1px solid #f8f9fa; }
.row:hover { background: #f8f9fa; }
.label { flex: 0 0 var(--label); display: flex; align-items: center; gap: 6px; height: 100%; padding: 0 8px 0 calc(12px + var(--depth) * 16px); background: none; border: 0; text-align: left; cursor: pointer; font: inherit; color: inherit; overflow: hidden; white-space: nowrap; }
.label:focus-visible, .label[aria-current=true] { outline: 2px solid var(--run); outline-offset: -2px; background: #e7f5ff; }
.name { font-weight: 600; } .meta { color: var(--mute); overflow: hidden; text-overflow: ellipsis; }
.dot { flex: 0 0 8px; height: 8px; border-radius: 50%; background: var(--skip); }
.dot[data-status=completed], .bar[data-status=completed] { background: var(--ok); }
.dot[data-status=failed], .bar[data-status=failed] { background: var(--fail); }
.dot[data-status=compensated], .bar[data-status=compensated] { background: var(--comp); }
.dot[data-status=running], .bar[data-status=running] { background: var(--run); }
.dot[data-status=skipped], .bar[data-status=skipped] { background: var(--skip); }
.track { position: relative; flex: 1; height: 100%; margin-right: 24px; }
.bar { position: absolute; top: 8px; height: 14px; border-radius: 3px; min-width: 2px; opacity: .9; cursor: pointer; }
.bar[data-status=running] { background-image: repeating-linear-gradient(45deg, transparent 0 6px, rgba(255,255,255,.35) 6px 12px); }
.attempt { position: absolute; top: 0; bottom: 0; border-radius: 3px; background: var(--ok); box-shadow: inset 0 0 0 1px rgba(0,0,0,.15); }
.attempt[data-failed=true] { background: repeating-linear-gradient(45deg, var(--fail) 0 4px, #ff8787 4px 8px); }
.bar:has(.attempt) { background: rgba(0,0,0,.08); }
.compensation { position: absolute; top: 22px; height: 5px; border-radius: 2px; background: var(--comp); }
.compensation[data-status=failed] { background: var(--fail); }
.row.retried { height: 46px; }
.row.retried .bar { top: 6px; }
.retries { position: absolute; top: 24px; right: 0; font-size: 11px; color: var(--fail); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; pointer-events: none; }
.markers { position: absolute; top: 0; bottom: 0; left: var(--label); right: 24px; pointer-events: none; }
.marker { position: absolute; top: 0; bottom: 0; border-left: 2px dashed #fab005; }
.marker span { position: absolute; top: -1px; left: 3px; font-size: 10px; background: #fff9db; border: 1px solid #ffe066; padding: 0 3px; border-radius: 3px; white-space: nowrap; }
.marker.end span { left: auto; right: 3px; }
.marker[data-lane="1"] span { top: 16px; }
.marker[data-marker=handover] { border-left: 3px solid #7048e8; } .marker[data-marker=handover] span { background: #f3f0ff; border-color: #b197fc; font-weight: 600; }
.marker[data-marker=cancel], .marker[data-marker=rejected-signal] { border-left-color: var(--fail); } .marker[data-marker=cancel] span, .marker[data-marker=rejected-signal] span { background: #fff5f5; border-color: #ffa8a8; }
#details { padding: 12px 16px; overflow: auto; max-height: calc(100vh - 90px); position: sticky; top: 0; }
#details h2 { font-size: 15px; margin: 0 0 8px; word-break: break-all; }
#details h3 { font-size: 12px; color: var(--mute); text-transform: uppercase; letter-spacing: .04em; margin: 12px 0 4px; }
#details pre { margin: 0; background: #f8f9fa; border: 1px solid var(--line); border-radius: 4px; padding: 8px; white-space: pre-wrap; word-break: break-word; font-size: 12px; }
#details .hint { color: var(--mute); }
@media (max-width: 900px) { :root { --label: 200px; } main { grid-template-columns: 1fr; } #details { position: static; max-height: none; border-top: 1px solid var(--line); } }
`;
