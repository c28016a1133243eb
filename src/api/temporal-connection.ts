/**
 * The API's way to Temporal: the settings (given options, then TEMPORAL_* and
 * REVO_TASK_QUEUE, then the defaults), and one client, connected on first use and
 * shared by every handle of a Revo instance, with the one TemporalRetry its calls go
 * through when the server goes away. The SDK is imported only here, and only when a
 * call needs it, so local work never loads it; a signal needs only the lean client
 * (src/temporal/wire/), which loads in milliseconds.
 */
import type { Client } from '@temporalio/client';
import type { TemporalWire } from '../temporal/wire/workflow-service.js';
import { reachable, unreachable } from '../temporal/reachable.js';
import { TemporalRetry } from '../temporal/retry-unavailable.js';
import { temporalSettings, type TemporalFlags, type TemporalSettings } from '../temporal/settings.js';

/** Where Temporal is (docs/temporal.md#connecting-to-a-cluster). */
export interface TemporalOptions {
  address?: string;
  namespace?: string;
  taskQueue?: string;
  /** TLS: true for the system's CAs, or files for mTLS. */
  tls?: boolean | { cert?: string; key?: string; ca?: string; serverName?: string };
  apiKey?: string;
}

/** How calls wait out a Temporal that went away (docs/reliability.md#temporal-server-restarts). */
export interface TemporalRetrySettings {
  /** How long (ms) before giving up with TemporalGoneError; default 5 min. */
  retryForMs?: number;
  /** The one-line status while Temporal is away and when it is back. */
  onStatus?: (text: string) => void;
}

export class TemporalConnection {
  private client: Promise<Client> | undefined;
  private wireClient: Promise<TemporalWire> | undefined;
  private settingsCache: TemporalSettings | undefined;
  private retryCache: TemporalRetry | undefined;

  constructor(
    private readonly options: TemporalOptions = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly retrySettings: TemporalRetrySettings = {},
  ) {}

  async settings(): Promise<TemporalSettings> {
    return this.settingsNow();
  }

  /** Every call to Temporal once connected goes through this: one outage, one notice, one deadline. */
  get retry(): TemporalRetry {
    this.retryCache ??= new TemporalRetry({ address: this.settingsNow().address, ...this.retrySettings });
    return this.retryCache;
  }

  private settingsNow(): TemporalSettings {
    if (!this.settingsCache) {
      const { tls, ...rest } = this.options;
      const flags: TemporalFlags = {
        ...rest,
        ...(tls === true && { tls: true }),
        ...(typeof tls === 'object' && { tls: true, tlsCert: tls.cert, tlsKey: tls.key, tlsCa: tls.ca, tlsServerName: tls.serverName }),
      };
      this.settingsCache = temporalSettings(flags, this.env);
    }
    return this.settingsCache;
  }

  /** The shared client; a TemporalUnavailableError when Temporal cannot be reached. */
  connect(): Promise<Client> {
    this.client ??= (async () => {
      const settings = await this.settings();
      // Asked first, so that a Temporal that is not there costs no SDK load.
      if (!(await reachable(settings.address))) {
        throw unreachable(settings, new Error('nothing answers at that address'));
      }
      const { connectClient } = await import('../temporal/connection.js');
      return connectClient(settings);
    })();
    // A failed attempt is not kept: the next call tries again.
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  /**
   * The lean client for the calls of a signal (describe, the task queue's pollers, the
   * Update, the plain signal): no SDK, no @grpc/grpc-js. It starts connecting at once; a
   * Temporal that is not there fails its first call with UNAVAILABLE (no probe first: on a
   * remote cluster that would cost a round trip).
   */
  wire(): Promise<TemporalWire> {
    this.wireClient ??= (async () => {
      const settings = await this.settings();
      const { TemporalWire } = await import('../temporal/wire/workflow-service.js');
      return new TemporalWire(settings);
    })();
    this.wireClient.catch(() => (this.wireClient = undefined));
    return this.wireClient;
  }

  /** Uses `client` (connected elsewhere, e.g. by the auto engine's probe) as the shared one. */
  adopt(client: Client): void {
    if (!this.client) this.client = Promise.resolve(client);
    else void client.connection.close().catch(() => {});
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  async close(): Promise<void> {
    const client = this.client;
    const wire = this.wireClient;
    this.client = undefined;
    this.wireClient = undefined;
    if (wire) await wire.then((w) => w.close(), () => {});
    if (client) await client.then((c) => c.connection.close(), () => {});
  }
}
