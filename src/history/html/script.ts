/**
 * The page's script. A click (or Enter / Space on a focused button) on anything with
 * `data-panel` shows that panel (see details.ts) in `#details`; ArrowUp / ArrowDown move
 * between steps, Escape clears the selection. The panels come from the JSON island and
 * are written with textContent only, so no recorded value can become markup.
 */
export const PAGE_SCRIPT = `
(() => {
  'use strict';
  const panels = JSON.parse(document.getElementById('revo-data').textContent).panels;
  const details = document.getElementById('details');
  const hint = [...details.childNodes].map((node) => node.cloneNode(true));
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    for (const child of children) if (child !== null && child !== undefined) node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    return node;
  };
  const select = (id) => {
    for (const node of document.querySelectorAll('[aria-current]')) node.removeAttribute('aria-current');
    if (id === null) return;
    const step = id.startsWith('attempt:') ? 'step:' + id.slice(8, id.lastIndexOf(':')) : null;
    for (const node of document.querySelectorAll('[data-panel]')) {
      const panel = node.getAttribute('data-panel');
      if (panel === id || (step !== null && panel === step && node.classList.contains('label'))) node.setAttribute('aria-current', 'true');
    }
  };
  const show = (id) => {
    const panel = panels[id];
    if (!panel) return;
    select(id);
    details.setAttribute('data-panel-shown', id);
    const facts = el('dl', { class: 'panel-facts' }, ...panel.facts.map(([name, value]) => el('div', { 'data-fact': name }, el('dt', {}, name), el('dd', {}, value))));
    const blocks = panel.blocks.flatMap((block) => [
      el('h3', {}, block.name),
      el('pre', { 'data-field': block.name, tabindex: '0' }, 'json' in block ? JSON.stringify(block.json, null, 2) : block.text),
    ]);
    details.replaceChildren(
      el('div', { class: 'panel-head' }, el('span', { class: 'panel-kind' }, panel.kind), panel.status ? el('span', { class: 'badge', 'data-status': panel.status }, panel.status) : null),
      el('h2', {}, panel.title),
      facts,
      ...blocks,
    );
    details.scrollTop = 0;
    // Laid out below the timeline (narrow windows): bring it into view.
    const box = details.getBoundingClientRect();
    if (box.top > window.innerHeight || box.bottom < 0) details.scrollIntoView({ block: 'start' });
  };
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('[data-panel]') : null;
    if (target) show(target.getAttribute('data-panel'));
  });
  document.addEventListener('keydown', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (event.key === 'Escape') {
      select(null);
      details.removeAttribute('data-panel-shown');
      details.replaceChildren(...hint.map((node) => node.cloneNode(true)));
      return;
    }
    if (!target || !target.classList.contains('label') || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
    const labels = [...document.querySelectorAll('button.label')];
    const next = labels[labels.indexOf(target) + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
})();
`;
