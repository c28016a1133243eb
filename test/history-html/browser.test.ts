/**
 * The `revo history --html` page in a real browser (Debian's Chromium, headless, driven
 * by playwright-core): a run made by the CLI renders its steps, attempts and retry
 * errors, its decision, signal and compensation; a click shows a step's input and
 * output; a run handed over to Temporal shows the hand-over; the page requests nothing
 * but itself and no recorded value runs as code. A screenshot is kept in test-results/.
 */
import { appendFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRun, until, workspace } from '../process-helpers.js';
import { APPROVAL, HOSTILE, TIMELINE_ACTIVITIES, TIMELINE_WORKFLOW } from './fixture.js';

const RESULTS = join(import.meta.dirname, '..', '..', 'test-results');
let browser: Browser;

beforeAll(async () => {
  // Never skipped: without Chromium this installs it, or fails saying why.
  const { ensureChromium } = (await import(join(import.meta.dirname, '..', '..', 'scripts', 'ensure-chromium.js'))) as { ensureChromium(): string };
  browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 600_000);
afterAll(async () => {
  await browser?.close();
});

/** A finished CLI run of the fixture workflow, its id and its workspace. */
async function fixtureRun() {
  const ws = workspace({ 'demo.yaml': TIMELINE_WORKFLOW, 'activities.mjs': TIMELINE_ACTIVITIES });
  const run = await startRun(ws, ['demo.yaml', '--activities', 'activities.mjs']);
  await until(() => ws.revo(['query', run.runId]).stdout.includes('"gate"'), 'the wait for the signal');
  expect(ws.revo(['signal', run.runId, 'approve', JSON.stringify(APPROVAL)]).status).toBe(0);
  expect(await run.exited).toBe(1); // ship fails for good, so the charge is refunded
  return { ws, runId: run.runId };
}

async function open(file: string): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`file://${file}`);
  return { page, requests };
}

describe('revo history --html in Chromium', () => {
  it('renders the timeline of a CLI run: bars, attempts and their errors, decision, signal, compensation; details on click', async () => {
    const { ws, runId } = await fixtureRun();
    const written = ws.revo(['history', runId, '--html', 'run.html']);
    expect(written.status, written.stderr).toBe(0);
    expect(written.stderr).toContain('wrote run.html');
    const { page, requests } = await open(join(ws.dir, 'run.html'));

    await expect(page.title()).resolves.toBe(`timeline-demo · ${runId}`);
    expect(await page.textContent('.status')).toBe('failed');
    const keys = await page.$$eval('[data-step-key]', (buttons) => buttons.map((b) => b.getAttribute('data-step-key')));
    // A compensation sits under the step it undoes.
    expect(keys).toEqual(['charge', 'charge~/refund', 'route', 'big', 'lines', 'lines[0]/line', 'lines[1]/line', 'gate', 'ship']);
    expect(await page.$$eval('.bar', (bars) => bars.map((b) => `${b.getAttribute('data-key')}:${b.getAttribute('data-status')}`))).toEqual([
      'charge:compensated', 'charge~/refund:completed', 'route:completed', 'big:completed', 'lines:completed', 'lines[0]/line:completed', 'lines[1]/line:completed', 'gate:completed', 'ship:failed',
    ]);
    // Three attempts of charge: two failed (with their errors shown), the last one good.
    expect(await page.$$eval('[data-key=charge] .attempt', (spans) => spans.map((s) => `${s.getAttribute('data-attempt')}:${s.getAttribute('data-failed')}`))).toEqual(['1:true', '2:true', '3:false']);
    expect(await page.textContent('.retries')).toBe('#1 Transient: provider unavailable (attempt 1) · #2 Transient: provider unavailable (attempt 2)');
    expect(await page.textContent('[data-step-key=route] .meta')).toContain('case 1');
    expect(await page.textContent('[data-step-key=lines] .meta')).toContain('2 items');
    expect(await page.$$eval('.marker', (ms) => ms.map((m) => `${m.getAttribute('data-marker')}:${m.textContent}`))).toEqual(['signal:signal approve']);
    expect(await page.$$eval('.compensation', (cs) => cs.map((c) => c.getAttribute('data-status')))).toEqual(['completed']);

    await page.click('[data-step-key=charge]');
    expect(JSON.parse((await page.textContent('#details [data-field=input]'))!)).toEqual({ amount: 42, note: HOSTILE });
    expect(JSON.parse((await page.textContent('#details [data-field=output]'))!)).toEqual({ amount: 42, note: HOSTILE });
    expect(await page.textContent('#details [data-field=retries]')).toContain('#2 Transient: provider unavailable (attempt 2)');
    await page.click('[data-key=ship]');
    expect(await page.textContent('#details [data-field=error]')).toContain('no carrier today');
    await page.click('[data-run-field=input]');
    expect(await page.textContent('#details h2')).toBe('run input');

    // Nothing but the file itself was requested, and no recorded value ran as code.
    expect(requests).toEqual([`file://${join(ws.dir, 'run.html')}`]);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();

    mkdirSync(RESULTS, { recursive: true });
    const shot = join(RESULTS, 'history-timeline.png');
    await page.click('[data-step-key=charge]');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    await page.close();
  }, 60_000);

  it('marks a hand-over between engines and shows where each step ran', async () => {
    const { ws, runId } = await fixtureRun();
    // A journal that says the run moved on after `route` (the real hand-over is tested against Temporal).
    const journal = join(ws.env.REVO_HOME, 'runs', `${runId}.jsonl`);
    const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; key?: string; at?: number });
    const after = lines.find((e) => e.type === 'step.completed' && e.key === 'route')!;
    const { writeFileSync } = await import('node:fs');
    const handover = { type: 'engine.handover', from: 'local', to: 'temporal', reason: 'Temporal became reachable', at: after.at };
    writeFileSync(journal, lines.flatMap((e) => (e === after ? [e, handover] : [e])).map((e) => JSON.stringify(e)).join('\n') + '\n');
    appendFileSync(journal, '');
    const written = ws.revo(['history', runId, '--html', 'moved.html', '--address', '127.0.0.1:1']);
    expect(written.status, written.stderr).toBe(0);
    const { page } = await open(join(ws.dir, 'moved.html'));
    expect(await page.$$eval('.marker[data-marker=handover]', (ms) => ms.map((m) => m.textContent))).toEqual(['local → temporal']);
    expect(await page.textContent('header')).toContain('local → temporal');
    expect(await page.textContent('[data-step-key=charge] .meta')).toContain('local');
    expect(await page.textContent('[data-step-key=ship] .meta')).toContain('temporal');
    await page.close();
  }, 60_000);
});
