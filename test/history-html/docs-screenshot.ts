/**
 * Makes docs/images/history-timeline.png: a real CLI run of the order fixture (a retried
 * charge, a log, decisions, a signal, compensations after the failed shipping) with a
 * hand-over to Temporal put into its journal, its `revo history --html` page shot in
 * the headless Chromium the browser tests use. Run after `npm run build`:
 *
 *   npx tsx test/history-html/docs-screenshot.ts
 */
import { join } from 'node:path';
import { launchChromium } from './chromium.js';
import { insertHandover, orderRun } from './cli-run.js';

const OUT = join(import.meta.dirname, '..', '..', 'docs', 'images', 'history-timeline.png');

const { ws, runId } = await orderRun('gift wrap, please', { by: 'ann.lee', note: 'boxes ready at dock 3' });
insertHandover(ws, runId, 'lines');
const written = ws.revo(['history', runId, '--html', 'run.html', '--address', '127.0.0.1:1']);
if (written.status !== 0) throw new Error(written.stderr);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await page.goto(`file://${join(ws.dir, 'run.html')}`);
  await page.click('[data-step-key=charge]');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: OUT, fullPage: true });
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
}
