import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock, VirtualClock } from '../../src/local/clock.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLOCK_MODULE = fileURLToPath(new URL('../../src/local/clock.ts', import.meta.url));
const START = Date.parse('2026-01-01T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

/** Waits real time, which a virtual clock must not notice. */
function realDelay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Whether a promise has settled, checked after the event loop turns a few times. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await realDelay(20);
  return done;
}

describe('VirtualClock', () => {
  it('starts at 2026-01-01 unless told otherwise', () => {
    expect(new VirtualClock().now()).toBe(START);
    expect(new VirtualClock(1234).now()).toBe(1234);
  });

  it('resolves a 30-day sleep in milliseconds of real time, with now() 30 days later', async () => {
    const clock = new VirtualClock();
    const began = performance.now();
    await clock.sleep(30 * DAY);
    expect(performance.now() - began).toBeLessThan(1000);
    expect(clock.now()).toBe(START + 30 * DAY);
  });

  it('resolves concurrent sleeps in due order, each seeing its own due time', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    await Promise.all([
      clock.sleep(5000).then(() => seen.push(`5s at ${clock.now() - START}`)),
      clock.sleep(1000).then(() => seen.push(`1s at ${clock.now() - START}`)),
    ]);
    expect(seen).toEqual(['1s at 1000', '5s at 5000']);
    expect(clock.now()).toBe(START + 5000);
  });

  it('resolves sleeps due at the same time in registration order', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    await Promise.all(['a', 'b', 'c'].map((name) => clock.sleep(1000).then(() => seen.push(name))));
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(START + 1000);
  });

  it('counts each sleep from the time it started', async () => {
    const clock = new VirtualClock();
    const ticks: number[] = [];
    for (let i = 0; i < 1000; i++) {
      await clock.sleep(60_000);
      ticks.push(clock.now() - START);
    }
    expect(ticks.at(-1)).toBe(1000 * 60_000);
    expect(ticks.slice(0, 3)).toEqual([60_000, 120_000, 180_000]);
  });

  it('rejects with the abort reason, drops the timer and lets other sleeps go on', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const aborted = clock.sleep(1000, controller.signal);
    const other = clock.sleep(2000);
    const reason = new Error('cancelled');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await other;
    expect(clock.now()).toBe(START + 2000);
    expect(clock.pending).toBe(0);

    await expect(clock.sleep(10, AbortSignal.abort('already'))).rejects.toBe('already');
    expect(clock.pending).toBe(0);
  });

  it('holds time still while anything is busy', async () => {
    const clock = new VirtualClock();
    const release = clock.busy();
    const sleep = clock.sleep(1000);
    expect(await settled(sleep)).toBe(false);
    expect(clock.now()).toBe(START);

    const releaseAnother = clock.busy();
    release();
    release(); // a second call must not release someone else's hold
    expect(await settled(sleep)).toBe(false);
    releaseAnother();
    await sleep;
    expect(clock.now()).toBe(START + 1000);
  });

  it('lets promise chains that start work run before time moves', async () => {
    const clock = new VirtualClock();
    const events: string[] = [];
    const sleep = clock.sleep(1000).then(() => events.push(`timer at ${clock.now() - START}`));
    // An activity that becomes busy only after a few awaits, then does real (unmarked) I/O.
    const activity = (async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
      const release = clock.busy();
      await realDelay(30);
      events.push(`activity done at ${clock.now() - START}`);
      release();
    })();
    await Promise.all([sleep, activity]);
    expect(events).toEqual(['activity done at 0', 'timer at 1000']);
  });

  it('does not keep the process alive when nothing is pending', () => {
    const script = `
      import { VirtualClock } from ${JSON.stringify(CLOCK_MODULE)};
      const clock = new VirtualClock();
      await clock.sleep(86400000);
      clock.busy(); // held forever: nothing is pending, so the process must still exit
      void clock.sleep(1000); // cannot fire while busy
      console.log(clock.now());
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 10_000 });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe(String(START + 86400000));
  });
});

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells the real time and sleeps for real', async () => {
    const before = Date.now();
    expect(Math.abs(systemClock.now() - before)).toBeLessThan(50);
    const began = performance.now();
    await systemClock.sleep(30);
    expect(performance.now() - began).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the abort reason and clears its timer', async () => {
    const controller = new AbortController();
    const began = performance.now();
    const sleep = systemClock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort('stop'), 10);
    await expect(sleep).rejects.toBe('stop');
    expect(performance.now() - began).toBeLessThan(1000);
    await expect(systemClock.sleep(10, AbortSignal.abort('already'))).rejects.toBe('already');
  });

  it('sleeps longer than setTimeout allows (2^31-1 ms) without firing early', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let done = false;
    const sleep = systemClock.sleep(30 * DAY).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(30 * DAY - 1);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleep;
    expect(done).toBe(true);
  });

  it('never holds anything busy', () => {
    expect(() => systemClock.busy()()).not.toThrow();
  });
});
