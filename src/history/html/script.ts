/**
 * The page's script: a click on a step (or on the run's input/output) shows its details
 * in the side panel. Data comes from the JSON island; it is written with textContent
 * only, so no recorded value can become markup.
 */
export const PAGE_SCRIPT = `
(() => {
  const data = JSON.parse(document.getElementById('revo-data').textContent);
  const panel = document.getElementById('details');
  const el = (tag, text, attrs) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v); return e; };
  const pretty = (v) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  const field = (name, value) => { if (value === undefined || value === null) return; panel.append(el('h3', name), el('pre', pretty(value), { 'data-field': name })); };
  const select = (button) => { for (const b of document.querySelectorAll('[aria-current=true]')) b.removeAttribute('aria-current'); if (button) button.setAttribute('aria-current', 'true'); };
  const showStep = (key, button) => {
    const s = data.steps[key]; if (!s) return;
    select(button); panel.replaceChildren(el('h2', s.key));
    field('status', s.status + (s.engine ? ' (on ' + s.engine + ')' : ''));
    field('kind', s.activity ? s.kind + ' ' + s.activity : s.kind);
    field('attempts', s.attempts);
    if (s.startedAt) field('time', s.startedAt + (s.endedAt ? ' → ' + s.endedAt : '') + (s.durationMs !== undefined ? ' (' + s.durationMs + ' ms)' : ''));
    field('decision', s.decision);
    field('input', s.input);
    field('output', s.output);
    field('error', s.error);
    if (s.failedAttempts) field('retries', s.failedAttempts.map((f) => '#' + f.attempt + ' ' + f.error.type + ': ' + f.error.message + (f.retryInMs !== undefined ? ' (retried in ' + f.retryInMs + ' ms)' : '')).join('\\n'));
    field('compensation', s.compensation);
  };
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const step = target && target.closest('[data-step-key]');
    if (step) return showStep(step.getAttribute('data-step-key'), step);
    const bar = target && target.closest('.bar');
    if (bar) return showStep(bar.getAttribute('data-key'), document.querySelector('[data-step-key="' + CSS.escape(bar.getAttribute('data-key')) + '"]'));
    const run = target && target.closest('[data-run-field]');
    if (run) { const name = run.getAttribute('data-run-field'); select(null); panel.replaceChildren(el('h2', 'run ' + name)); field(name, data.run[name]); }
  });
})();
`;
