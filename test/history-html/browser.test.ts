/**
 * The `revo history --html` page in a real browser: Debian's Chromium, headless, driven
 * by playwright-core (installed by scripts/ensure-chromium.js when missing; never
 * skipped). A run made by the CLI renders its step bars with their statuses, the
 * attempts and retry errors of its retried step, its decisions, signal marker, log and
 * compensations; a hand-over put into its journal shows as a marker and on each step; a
 * click (or the keyboard) shows a step's input and output; the page requests nothing
 * but itself and no recorded value runs as code. Screenshots go to test-results/.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../process-helpers.js';
import { CHROMIUM_TIMEOUT_MS, launchChromium } from './chromium.js';
import { insertHandover, orderRun } from './cli-run.js';
import { APPROVAL, HOSTILE } from './fixture.js';

const RESULTS = join(import.meta.dirname, '..', '..', 'test-results');
const KEYS = ['reserve', 'reserve~/release', 'charge', 'charge~/refund', 'note', 'route', 'standard', 'lines', 'lines[0]/pick', 'lines[1]/pick', 'gate', 'label', 'print', 'handwrite', 'ship'];

let browser: Browser;
let ws: Workspace;
let runId: string;

beforeAll(async () => {
  browser = await launchChromium();
}, CHROMIUM_TIMEOUT_MS);
beforeAll(async () => {
  ({ ws, runId } = await orderRun(HOSTILE, APPROVAL));
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** `revo history <run> --html <name>` in the workspace; the page's path. */
function writePage(name: string, ...flags: string[]): string {
  const written = ws.revo(['history', runId, '--html', name, ...flags]);
  expect(written.status, written.stderr).toBe(0);
  expect(written.stdout).toBe('');
  expect(written.stderr).toContain(`wrote ${name}`);
  return join(ws.dir, name);
}

async function open(file: string, width = 1280): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`file://${file}`);
  return { page, requests, errors };
}

const attrs = (page: Page, selector: string, ...names: string[]) =>
  page.$$eval(selector, (nodes, names) => nodes.map((n) => names.map((name) => (name === 'text' ? n.textContent : n.getAttribute(name))).join(':')), names);
const field = async (page: Page, name: string) => (await page.textContent(`#details pre[data-field=${name}]`))!;

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, name);
  await page.screenshot({ path: file, fullPage: true });
  expect(readFileSync(file).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a'); // a PNG
  expect(statSync(file).size).toBeGreaterThan(20_000);
}

describe('revo history --html in headless Chromium', () => {
  it('shows the timeline of a CLI run: bars by status, attempts and retry errors, decisions, signal, log, compensations', async () => {
    const file = writePage('run.html');
    const { page, requests, errors } = await open(file);

    expect(await page.title()).toBe(`order-fulfilment v1.4.0 · ${runId}`);
    expect(await attrs(page, '#run-status', 'data-status', 'text')).toEqual(['failed:failed']);
    expect(await page.textContent('[data-run=engine]')).toContain('local');
    expect(await page.textContent('.outcome')).toContain('Unavailable: no carrier today');

    // One row and one bar per step, in tree order (a compensation under the step it undoes), coloured by status.
    expect(await attrs(page, '[data-step-key]', 'data-step-key')).toEqual(KEYS);
    expect(await attrs(page, '.bar', 'data-key', 'data-status')).toEqual(
      KEYS.map((k) => `${k}:${['reserve', 'charge'].includes(k) ? 'compensated' : ['print', 'ship'].includes(k) ? 'failed' : 'completed'}`),
    );
    expect((await attrs(page, '.row', 'style')).map((style) => /--depth:(\d+)/.exec(style)![1])).toEqual(KEYS.map((k) => (['reserve~/release', 'charge~/refund', 'standard', 'lines[0]/pick', 'lines[1]/pick', 'print', 'handwrite'].includes(k) ? '1' : '0')));
    // Colours come from the status.
    const colour = (key: string) => page.evaluate(`getComputedStyle(document.querySelector('.bar[data-key="${key}"]')).backgroundColor`);
    expect(new Set([await colour('ship'), await colour('gate'), await colour('charge~/refund')]).size).toBe(2);
    expect(await colour('ship')).not.toBe(await colour('gate'));

    // The retried charge: a bar per attempt, two failed then the good one, in order inside the step's bar, and the retry errors.
    expect(await attrs(page, '.attempt', 'data-key', 'data-attempt', 'data-failed')).toEqual(['charge:1:true', 'charge:2:true', 'charge:3:false']);
    const bar = (await page.locator('.bar[data-key=charge]').boundingBox())!;
    const boxes = await Promise.all([1, 2, 3].map(async (n) => (await page.locator(`.attempt[data-attempt="${n}"]`).boundingBox())!));
    for (const [i, box] of boxes.entries()) {
      expect(box.x).toBeGreaterThanOrEqual(bar.x - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(bar.x + bar.width + 3);
      if (i > 0) expect(box.x).toBeGreaterThan(boxes[i - 1]!.x + boxes[i - 1]!.width - 1); // the pause between attempts
    }
    expect(boxes[2]!.x + boxes[2]!.width).toBeGreaterThan(bar.x + bar.width - 3); // the last attempt ends the step
    expect(await page.textContent('.retries[data-key=charge]')).toBe(
      '#1 Transient: payment provider unavailable (attempt 1) · #2 Transient: payment provider unavailable (attempt 2)',
    );

    // Decisions, the signal, the log message, the compensations and the events list.
    expect(await page.textContent('[data-step-key=route] .meta')).toContain('default case');
    expect(await page.textContent('[data-step-key=lines] .meta')).toContain('2 items');
    expect(await page.textContent('[data-step-key=label] .meta')).toContain('caught by catch 1');
    expect(await page.textContent('[data-step-key=charge] .meta')).toContain('3 attempts');
    expect(await attrs(page, '.marker', 'data-marker', 'data-signal', 'text')).toEqual(['signal:0:signal approve']);
    expect(await attrs(page, '.log-mark', 'data-log', 'data-level')).toEqual(['0:info']);
    expect(await attrs(page, '.compensation', 'data-key', 'data-status')).toEqual(['reserve:completed', 'charge:completed']);
    expect(await attrs(page, '.events .event', 'data-event')).toEqual(['log', 'signal', 'compensation', 'compensation']);
    expect(await page.textContent('.events')).toContain('compensation of charge completed');

    // A click on a step shows its input and output (the hostile note as text), times and attempts.
    await page.click('[data-step-key=charge]');
    expect(await page.getAttribute('#details', 'data-panel-shown')).toBe('step:charge');
    expect(JSON.parse(await field(page, 'input'))).toEqual({ amount: 42, currency: 'EUR', note: HOSTILE });
    expect(JSON.parse(await field(page, 'output'))).toEqual({ amount: 42, currency: 'EUR', note: HOSTILE, receipt: 'rcpt-7781' });
    expect(await field(page, 'attempts')).toContain('#2');
    expect(await field(page, 'attempts')).toContain('failed: Transient: payment provider unavailable (attempt 2)');
    expect(await page.textContent('#details [data-fact=engine] dd')).toBe('local');
    expect(await page.textContent('#details [data-fact=started] dd')).toMatch(/^\+\d+ms · \d{4}-/);
    expect(await page.getAttribute('[data-step-key=charge]', 'aria-current')).toBe('true');
    // …on an attempt, that attempt and its error.
    await page.click('.attempt[data-attempt="2"]');
    expect(await page.textContent('#details h2')).toBe('charge · attempt 2 of 3');
    expect(await page.getAttribute('#details .badge', 'data-status')).toBe('failed');
    expect(JSON.parse(await field(page, 'error'))).toMatchObject({ type: 'Transient', message: 'payment provider unavailable (attempt 2)' });
    // …on a bar, its step; on the signal, its payload; on the run's error, the error.
    await page.click('.bar[data-key=ship]');
    expect(JSON.parse(await field(page, 'error'))).toMatchObject({ type: 'Unavailable', message: 'no carrier today' });
    expect(JSON.parse(await field(page, 'input'))).toEqual({ carrier: 'any' });
    await page.click('.marker[data-marker=signal] .marker-label');
    expect(JSON.parse(await field(page, 'payload'))).toEqual(APPROVAL);
    await page.click('.event[data-event=log]');
    expect(await field(page, 'message')).toBe('charged 42 EUR');
    await page.click('[data-panel="run:input"]');
    expect(await page.textContent('#details h2')).toBe('run input');

    // Nothing but the file itself was requested, no recorded value ran or became markup.
    expect(requests).toEqual([`file://${file}`]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$eval('script', (scripts) => scripts.length)).toBe(2);
    expect(await page.$$('img')).toHaveLength(0);

    await page.click('[data-step-key=charge]');
    await screenshot(page, 'history-timeline.png');
    await page.close();
  }, 60_000);

  it('marks a hand-over on the axis and shows on which engine each step ran', async () => {
    insertHandover(ws, runId, 'lines');
    // The run now says it went on on Temporal, which is not there: the local part is shown.
    const file = writePage('moved.html', '--address', '127.0.0.1:1');
    const { page, requests } = await open(file);
    expect(await attrs(page, '.marker[data-marker=handover]', 'data-handover', 'text')).toEqual(['0:local → temporal']);
    expect(await page.textContent('[data-run=engine]')).toContain('local → temporal');
    expect(await attrs(page, '.engine', 'text')).toEqual(KEYS.map((k) => (KEYS.indexOf(k) <= KEYS.indexOf('lines[1]/pick') && !k.includes('~') ? 'local' : 'temporal')));
    // The marker sits between the end of `lines` and the start of `gate`.
    const x = (await page.locator('.marker[data-marker=handover]').boundingBox())!.x;
    const lines = (await page.locator('.bar[data-key=lines]').boundingBox())!;
    const gate = (await page.locator('.bar[data-key=gate]').boundingBox())!;
    expect(x).toBeGreaterThanOrEqual(lines.x + lines.width - 3);
    expect(x).toBeLessThanOrEqual(gate.x + 3);
    await page.click('.marker[data-marker=handover] .marker-label');
    expect(await page.textContent('#details h2')).toBe('local → temporal');
    expect(await field(page, 'reason')).toBe('Temporal became reachable');
    await page.click('[data-step-key=ship]');
    expect(await page.textContent('#details [data-fact=engine] dd')).toBe('temporal');
    expect(requests).toEqual([`file://${file}`]);
    await screenshot(page, 'history-timeline-handover.png');
    await page.close();
  }, 60_000);

  it('works with the keyboard, and in a narrow window without scrolling the page sideways', async () => {
    const { page } = await open(join(ws.dir, 'run.html'), 720);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(720);
    // Tab reaches the header's links (the run's input, its error), then the first step.
    const focused = () => page.evaluate("document.activeElement.getAttribute('data-step-key') ?? document.activeElement.getAttribute('data-panel')");
    const path: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      path.push(await focused());
    }
    expect(path).toEqual(['run:input', 'run:error', 'reserve']);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('reserve~/release');
    await page.keyboard.press('Enter');
    expect(await page.getAttribute('#details', 'data-panel-shown')).toBe('step:reserve~/release');
    expect(JSON.parse(await field(page, 'output'))).toEqual({ sku: 'BK-1042' });
    await page.keyboard.press('Escape');
    expect(await page.getAttribute('#details', 'data-panel-shown')).toBeNull();
    expect(await page.textContent('#details')).toContain('Select a step');
    await screenshot(page, 'history-timeline-narrow.png');
    await page.close();
  }, 60_000);
});
