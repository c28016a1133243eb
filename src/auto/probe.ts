/**
 * Is Temporal usable for a run? The server must answer and a worker must poll the
 * run's task queue (without one a run there would only wait). Asked when an auto run
 * starts, then at step boundaries while it runs locally: a TCP connect first (cheap,
 * answered at once when nothing listens), and never more often than the backoff allows.
 */
import type { Client } from '@temporalio/client';
import { hasWorkers } from '../temporal/client.js';
import { connectClient, reachable, type TemporalSettings } from '../temporal/connection.js';

/** First wait between checks, and the longest (`REVO_AUTO_PROBE_MAX_MS` overrides it). */
const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

export type ProbeResult = { client: Client } | { problem: string };

export class TemporalProbe {
  private delayMs = FIRST_DELAY_MS;
  private nextAt = 0;
  private checking = false;
  private readonly maxDelayMs: number;

  constructor(
    readonly settings: TemporalSettings,
    env: NodeJS.ProcessEnv = process.env,
    private readonly now: () => number = Date.now,
  ) {
    const max = Number(env.REVO_AUTO_PROBE_MAX_MS);
    this.maxDelayMs = Number.isFinite(max) && max > 0 ? max : MAX_DELAY_MS;
    this.delayMs = Math.min(this.delayMs, this.maxDelayMs);
  }

  /** Whether a check may start now: none under way, and the backoff has passed. */
  get due(): boolean {
    return !this.checking && this.now() >= this.nextAt;
  }

  /** Checks once; a failure doubles the wait before the next check (up to the maximum). */
  async check(): Promise<ProbeResult> {
    this.checking = true;
    try {
      const result = await usable(this.settings);
      if ('problem' in result) {
        this.nextAt = this.now() + this.delayMs;
        this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
      }
      return result;
    } finally {
      this.checking = false;
    }
  }
}

async function usable(settings: TemporalSettings): Promise<ProbeResult> {
  if (!(await reachable(settings.address, 500))) return { problem: `nothing answers at ${settings.address}` };
  let client: Client;
  try {
    client = await connectClient(settings);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  try {
    if (await hasWorkers(client, settings.taskQueue)) return { client };
  } catch (error) {
    await client.connection.close().catch(() => {});
    return { problem: `Temporal at ${settings.address} did not answer: ${(error as Error).message.split('\n')[0]}` };
  }
  await client.connection.close().catch(() => {});
  return { problem: `no worker polls task queue "${settings.taskQueue}" at ${settings.address}` };
}
