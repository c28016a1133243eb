/**
 * `revo ui` in a real browser (headless Chromium through playwright-core, as the
 * timeline's tests): the runs list with its filters, search and live updates; a failed
 * run's page with its timeline, graph, values and logs; Replay and Re-run with their
 * outcome and the link to the new run; the signal form, which refuses a payload the run
 * would refuse before sending anything; Cancel; recorded values that try to run as code;
 * and changes without the session's token, or from another site, refused.
 * Re-run from a failed step: the new run completes and marks the steps before it reused.
 */
import { request as httpRequest } from 'node:http';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_TIMEOUT_MS, launchChromium } from '../history-html/chromium.js';
import { calls, HOSTILE, uiFixture, type UiFixture } from './fixture.js';

let browser: Browser;
let fx: UiFixture;

beforeAll(async () => {
  browser = await launchChromium();
}, CHROMIUM_TIMEOUT_MS);
beforeAll(async () => {
  fx = await uiFixture();
}, 60_000);
afterAll(async () => {
  await fx?.close();
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  /** Every URL the page asked for. */
  requests: string[];
}

async function open(path = ''): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(new URL(path, fx.ui.url).href);
  return { page, errors, requests };
}

const rowIds = (page: Page) => page.$$eval('table.runs tbody tr', (rows) => rows.map((r) => r.getAttribute('data-run-id')));

async function timeline(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe.timeline-frame');
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector('#run-status');
  return frame;
}

describe('revo ui in headless Chromium', () => {
  it('lists the runs of every kind, filters and searches them, and shows a new run without a reload', async () => {
    const { page, errors, requests } = await open();
    const { runs } = fx;
    await page.waitForSelector(`tr[data-run-id="${runs.waiting}"]`);
    expect(new Set(await rowIds(page))).toEqual(new Set(Object.values(runs)));
    expect(await page.getAttribute(`tr[data-run-id="${runs.failed}"]`, 'data-status')).toBe('failed');
    expect(await page.textContent(`tr[data-run-id="${runs.failed}"]`)).toContain('Unavailable');

    await page.selectOption('select[name=status]', 'failed');
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(2);
    expect(new Set(await rowIds(page))).toEqual(new Set([runs.failed, runs.hostile]));
    expect(page.url()).toContain('status=failed');

    await page.fill('input[name=search]', 'checkout');
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(1);
    expect(await rowIds(page)).toEqual([runs.failed]);

    await page.fill('input[name=search]', 'no-such-run');
    await page.waitForSelector('[data-note=empty]');

    // Back to every run; a run started now appears by itself.
    await page.fill('input[name=search]', '');
    await page.selectOption('select[name=status]', '');
    await page.waitForSelector(`tr[data-run-id="${runs.waiting}"]`);
    const fresh = await fx.start('hello.yaml');
    await fresh.outcome();
    await page.waitForSelector(`tr[data-run-id="${fresh.runId}"][data-status=completed]`);

    expect(errors).toEqual([]);
    expect(requests.every((url) => url.startsWith(fx.ui.url))).toBe(true);
  });

  it('opens a failed run: its facts, values, timeline, steps, logs and graph', async () => {
    const { page, errors } = await open('?status=failed');
    await page.click(`tr[data-run-id="${fx.runs.failed}"] a`);
    await page.waitForSelector('[data-run-status=failed]');
    expect(page.url()).toBe(new URL(`/runs/${fx.runs.failed}`, fx.ui.url).href);
    expect(await page.textContent('h1')).toBe('checkout v2.0.1');
    expect(await page.textContent('pre[data-value=error]')).toContain('no carrier today');
    expect(await page.$$eval('table.steps tbody tr', (rows) => rows.map((r) => `${r.getAttribute('data-step-key')}:${r.getAttribute('data-status')}`))).toEqual([
      'reserve:completed',
      'charge:completed',
      'ship:failed',
    ]);
    // The timeline is the page of `revo history --html`, with its details panel.
    const frame = await timeline(page);
    expect(await frame.getAttribute('#run-status', 'data-status')).toBe('failed');
    await frame.click('[data-step-key=ship]');
    expect(await frame.textContent('#details pre[data-field=error]')).toContain('no carrier today');
    // The graph is drawn.
    await expect.poll(() => page.$eval('img.graph', (img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  });

  it('replays a run and shows the verdict; re-runs it and links to the new run, which completes', async () => {
    const { page, errors } = await open(`/runs/${fx.runs.failed}`);
    await page.waitForSelector('[data-run-status=failed]');

    await page.click('[data-action=replay]');
    await page.waitForSelector('dialog[data-confirming=replay]');
    await page.click('dialog [data-confirm]');
    await page.waitForSelector('[data-outcome=replay][data-ok=true]');
    expect(await page.textContent('[data-outcome=replay]')).toContain('matches the recording');

    await page.click('[data-action=rerun]');
    expect(await page.textContent('dialog[data-confirming=rerun]')).toContain('from the start');
    await page.click('dialog [data-confirm]');
    await page.waitForSelector('[data-outcome=rerun][data-ok=true] a[data-new-run]');
    await page.click('a[data-new-run]');
    await page.waitForSelector('[data-run-status=completed]');
    const newRun = page.url().split('/runs/')[1]!;
    expect(newRun).not.toBe(fx.runs.failed);
    expect(await page.textContent('[data-run-fact=trigger]')).toContain(`re-run of ${fx.runs.failed}`);
    expect(await page.textContent('pre[data-value=output]')).toContain('"shipped": true');
    expect(errors).toEqual([]);
  });

  it('re-runs a failed run from its failed step: the new run completes, and the steps before it are reused', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(fx.ui.url);

    await page.selectOption('select[name=status]', 'failed');
    await expect.poll(() => page.locator('table.runs tbody tr').count()).toBe(2);
    await page.click(`tr[data-run-id="${fx.runs.failed}"] a`);
    await page.waitForSelector('[data-run-status=failed]');
    expect(await page.getAttribute('tr[data-step-key=ship]', 'data-status')).toBe('failed');
    const before = { reserve: calls.get('reserve'), charge: calls.get('charge') };

    await page.click('button[data-rerun-from=ship]');
    expect(await page.textContent('dialog[data-confirming=rerun] h2')).toBe('Re-run from step ship?');
    await page.click('dialog [data-confirm]');
    await page.waitForSelector('[data-outcome=rerun] a[data-new-run]');
    expect(await page.getAttribute('[data-outcome=rerun]', 'data-ok')).toBe('true');
    await page.click('a[data-new-run]');
    await page.waitForSelector('[data-run-status=completed]');

    expect(await page.textContent('[data-run-fact=trigger]')).toContain(`re-run of ${fx.runs.failed} from step ship`);
    expect(await page.$$eval('table.steps tbody tr', (rows) => rows.map((r) => `${r.getAttribute('data-step-key')}:${r.getAttribute('data-status')}:${r.getAttribute('data-reused')}`))).toEqual([
      'reserve:completed:true',
      'charge:completed:true',
      'ship:completed:false',
    ]);
    expect({ reserve: calls.get('reserve'), charge: calls.get('charge') }).toEqual(before);
    expect(errors).toEqual([]);
  });

  it('signals a waiting run from a form made from the signal\'s schema, refusing a bad payload before sending it', async () => {
    const { page, errors, requests } = await open(`/runs/${fx.runs.waiting}`);
    await page.waitForSelector('[data-run-status=running]');
    const frame = await timeline(page);
    expect(await frame.getAttribute('#run-status', 'data-status')).toBe('running');

    await page.click('[data-action=signal]');
    await page.waitForSelector('form.signal-form[data-signal=approve]');
    expect(await page.$$eval('form.signal-form [data-field]', (fields) => fields.map((f) => `${f.getAttribute('data-field')}:${f.tagName.toLowerCase()}`))).toEqual([
      'by:input',
      'approved:select',
      'note:input',
    ]);
    const sent = () => requests.filter((url) => url.endsWith('/signal')).length;

    await page.click('form.signal-form button[type=submit]');
    expect(await page.textContent('[data-signal-problem]')).toBe('the payload of signal "approve" does not match its schema: the value is missing the required field "by"');
    await page.fill('[data-field=by]', 'a');
    await page.selectOption('[data-field=approved]', 'true');
    await page.click('form.signal-form button[type=submit]');
    await expect.poll(() => page.textContent('[data-signal-problem]')).toContain('/by must NOT have fewer than 2 characters');
    expect(sent()).toBe(0);

    await page.fill('[data-field=by]', 'ann');
    await page.click('form.signal-form button[type=submit]');
    await page.waitForSelector('[data-outcome=signal][data-ok=true]');
    expect(sent()).toBe(1);
    // Live: the run takes the signal and completes, and the page and its timeline follow.
    await page.waitForSelector('[data-run-status=completed]');
    expect(JSON.parse((await page.textContent('pre[data-value=output]'))!)).toEqual({ approved: true, by: 'ann' });
    await page.frameLocator('iframe.timeline-frame').locator('#run-status[data-status=completed]').waitFor();
    expect(errors).toEqual([]);
  });

  it('cancels a run after asking', async () => {
    const { page, errors } = await open(`/runs/${fx.runs.forever}`);
    await page.waitForSelector('[data-run-status=running]');
    await page.click('[data-action=cancel]');
    await page.click('dialog[data-confirming=cancel] [data-dismiss]');
    expect(await page.$('dialog')).toBeNull();
    expect((await (await fx.revo.getRun(fx.runs.forever)).record()).status).toBe('running');

    await page.click('[data-action=cancel]');
    await page.click('dialog[data-confirming=cancel] [data-confirm]');
    await page.waitForSelector('[data-outcome=cancel][data-ok=true]');
    await page.waitForSelector('[data-run-status=cancelled]');
    expect(await page.$('[data-action=cancel]')).toBeNull();
    expect(errors).toEqual([]);
  });

  it('shows recorded values that try to break out of the page as text, and runs none of them', async () => {
    const { page, errors } = await open(`/runs/${fx.runs.hostile}`);
    await page.waitForSelector('[data-run-status=failed]');
    expect(JSON.parse((await page.textContent('pre[data-value=input]'))!)).toEqual({ note: HOSTILE });
    expect(JSON.parse((await page.textContent('pre[data-value=error]'))!).message).toBe(HOSTILE);
    expect(await page.textContent('ol.logs .message')).toBe(HOSTILE);
    const frame = await timeline(page);
    await frame.click('[data-step-key=break]');
    expect(await frame.textContent('#details pre[data-field=error]')).toContain('window.pwned');
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await frame.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.$$('img:not(.graph), script:not([src])')).toEqual([]);

    // In the list too.
    const list = await open(`/?search=${encodeURIComponent('window.pwned')}`);
    await list.page.waitForSelector(`tr[data-run-id="${fx.runs.hostile}"]`);
    expect(await list.page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect([...errors, ...list.errors]).toEqual([]);
  });

  it('refuses a change without the session\'s token, from another site, or to another host name', async () => {
    const running = await fx.start('forever.yaml');
    const cancel = `/api/runs/${running.runId}/cancel`;
    const { page } = await open();
    // The page's own script sends the token; the same request without it is refused.
    const statuses = await page.evaluate(async (path) => {
      const post = (headers: Record<string, string>) => fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' }).then(async (r) => [r.status, ((await r.json()) as { error: string }).error]);
      return [await post({}), await post({ 'x-revo-token': 'guessed' })];
    }, cancel);
    expect(statuses).toEqual([
      [403, expect.stringContaining('needs this session\'s token')],
      [403, expect.stringContaining('needs this session\'s token')],
    ]);
    const { host } = new URL(fx.ui.url);
    // A page on another site, even with the token, and a name re-pointed at 127.0.0.1 (DNS rebinding).
    expect(await raw('POST', cancel, { host, origin: 'http://evil.example', 'x-revo-token': fx.ui.token, 'content-type': 'application/json' })).toMatchObject({ status: 403, body: expect.stringContaining('evil.example') });
    expect(await raw('GET', '/api/runs', { host: `evil.example:${new URL(fx.ui.url).port}` })).toMatchObject({ status: 403 });
    expect(await raw('GET', '/', { host: `evil.example:${new URL(fx.ui.url).port}` })).toMatchObject({ status: 403, body: expect.not.stringContaining(fx.ui.token) });
    expect((await running.record()).status).toBe('running');

    // With the token, from the page's origin: done.
    expect(await raw('POST', cancel, { host, origin: new URL(fx.ui.url).origin, 'x-revo-token': fx.ui.token, 'content-type': 'application/json' })).toMatchObject({ status: 200 });
    expect((await running.outcome()).status).toBe('cancelled');
    expect(calls.get('greet')).toBeGreaterThan(0);
  });
});

/** A request with exactly these headers (fetch would set Host and Origin itself). */
function raw(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(fx.ui.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, method, path, headers, setHost: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
    request.end(method === 'POST' ? '{}' : undefined);
  });
}
