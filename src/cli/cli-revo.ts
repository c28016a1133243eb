/**
 * The Revo instance a command works through, and where the library's notices go: to
 * the live view while one is on screen (so they do not break its frame), else to stderr.
 */
import { parseDuration } from '../../interpreter/duration.js';
import { Revo, type EngineChoice } from '../api/revo.js';
import { UsageError } from '../errors.js';
import type { TemporalOptions } from '../api/temporal-connection.js';
import type { TemporalFlags } from '../temporal/connection.js';
import type { ProgressView } from './progress/index.js';

export interface Terminal {
  /** The live view on screen, if any: notices go through it. */
  view: ProgressView | undefined;
  quiet: boolean;
  say(text: string): void;
}

export function terminal(quiet = false): Terminal {
  const out: Terminal = {
    view: undefined,
    quiet,
    say(text) {
      if (out.quiet) return;
      if (out.view) out.view.note(`revo: ${text}`);
      else process.stderr.write(`revo: ${text}\n`);
    },
  };
  return out;
}

export interface CliRevoOptions extends TemporalFlags {
  engine?: EngineChoice;
  activities?: string[];
  catalog?: string[];
}

export function cliRevo(options: CliRevoOptions, term: Terminal): Revo {
  return new Revo({
    ...(options.engine && { engine: options.engine }),
    ...(options.activities?.length && { activities: options.activities }),
    ...(options.catalog?.length && { catalogs: options.catalog }),
    temporal: temporalOptionsOf(options),
    onNotice: (text) => term.say(text),
    ...durationFromEnv('storageRetry', 'REVO_STORAGE_RETRY'),
    ...durationFromEnv('temporalRetry', 'REVO_TEMPORAL_RETRY'),
  });
}

/**
 * A duration setting from the environment (`30s`, `5m`), in ms: REVO_STORAGE_RETRY, how
 * long a refused journal write is retried (docs/reliability.md#storage-faults);
 * REVO_TEMPORAL_RETRY, how long a Temporal that went away is waited for
 * (docs/reliability.md#temporal-server-restarts).
 */
export function durationFromEnv<K extends string>(option: K, variable: string): { [key in K]?: number } {
  const value = process.env[variable];
  if (!value) return {};
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${variable} is "${value}", which is not a duration; give one like 30s or 5m`);
  return { [option]: ms } as { [key in K]?: number };
}

/** The connection flags as the API's Temporal options (the environment fills in the rest). */
export function temporalOptionsOf(flags: TemporalFlags): TemporalOptions {
  const files = {
    ...(flags.tlsCert && { cert: flags.tlsCert }),
    ...(flags.tlsKey && { key: flags.tlsKey }),
    ...(flags.tlsCa && { ca: flags.tlsCa }),
    ...(flags.tlsServerName && { serverName: flags.tlsServerName }),
  };
  return {
    ...(flags.address && { address: flags.address }),
    ...(flags.namespace && { namespace: flags.namespace }),
    ...(flags.taskQueue && { taskQueue: flags.taskQueue }),
    ...(flags.apiKey && { apiKey: flags.apiKey }),
    ...(Object.keys(files).length > 0 ? { tls: files } : flags.tls ? { tls: true } : {}),
  };
}
