/**
 * Makes docs/images/ui-runs.png and docs/images/ui-run.png: the runs list and a failed
 * run's page of `revo ui` over the browser tests' runs, in the headless Chromium they use:
 *
 *   npx tsx test/ui/docs-screenshot.ts
 */
import { join } from 'node:path';
import { launchChromium } from '../history-html/chromium.js';
import { uiFixture } from './fixture.js';

const IMAGES = join(import.meta.dirname, '..', '..', 'docs', 'images');

const fx = await uiFixture();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  await page.goto(fx.ui.url);
  await page.waitForSelector(`tr[data-run-id="${fx.runs.waiting}"]`);
  await page.screenshot({ path: join(IMAGES, 'ui-runs.png') });

  await page.goto(new URL(`/runs/${fx.runs.failed}`, fx.ui.url).href);
  await page.waitForSelector('[data-run-status=failed]');
  const frame = (await (await page.waitForSelector('iframe.timeline-frame')).contentFrame())!;
  await frame.click('[data-step-key=ship]');
  // Polled from here: the page's CSP allows no eval, which a string predicate would need.
  while ((await page.$eval('img.graph', (img) => (img as unknown as { naturalWidth: number }).naturalWidth)) <= 50) await page.waitForTimeout(50);
  await page.click('[data-action=replay]');
  await page.click('dialog [data-confirm]');
  await page.waitForSelector('[data-outcome=replay]');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(IMAGES, 'ui-run.png'), fullPage: true });
  console.log(`wrote ${join(IMAGES, 'ui-runs.png')} and ui-run.png`);
} finally {
  await browser.close();
  await fx.close();
}
