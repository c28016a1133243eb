/** Effective options of a call step (docs/dsl.md#errors-timeouts-and-retries): merged field by field, first found wins. */
import { parseDuration } from './duration.js';
import type { CallOptions, CallStep, RetryPolicy, WorkflowDefinition } from './model.js';

/** Options with every field resolved; durations in milliseconds. */
export interface EffectiveOptions {
  timeoutMs: number;
  heartbeatMs?: number;
  retry: EffectiveRetry;
}

export interface EffectiveRetry {
  maxAttempts: number;
  initialIntervalMs: number;
  backoff: number;
  maxIntervalMs: number;
  maxElapsedMs?: number;
  nonRetryable: string[];
  /** When set, only these types retry. */
  retryOn?: string[];
}

/** Level 6: Revo's own defaults. */
export const ENGINE_DEFAULTS = {
  timeout: '1m',
  retry: { maxAttempts: 5, initialInterval: '1s', backoff: 2, maxInterval: '1m' },
} as const satisfies CallOptions;

/** `activities:` entries that apply to `activity`: the exact name, then the longest `prefix.*`. */
export function activityLevels(patterns: WorkflowDefinition['activities'], activity: string): CallOptions[] {
  if (!patterns) return [];
  const levels: CallOptions[] = [];
  const exact = Object.prototype.hasOwnProperty.call(patterns, activity) ? patterns[activity] : undefined;
  if (exact) levels.push(exact);
  let best: string | undefined;
  for (const pattern of Object.keys(patterns)) {
    if (!pattern.endsWith('.*')) continue;
    const prefix = pattern.slice(0, -1); // keeps the dot: `payments.`
    if (activity.startsWith(prefix) && (best === undefined || pattern.length > best.length)) best = pattern;
  }
  if (best) levels.push(patterns[best]!);
  return levels;
}

function first<K extends keyof CallOptions>(levels: CallOptions[], key: K): CallOptions[K] {
  for (const level of levels) if (level[key] !== undefined) return level[key];
  return undefined;
}

function firstRetry<K extends keyof RetryPolicy>(levels: CallOptions[], key: K): RetryPolicy[K] {
  for (const level of levels) if (level.retry?.[key] !== undefined) return level.retry[key];
  return undefined;
}

function ms(duration: string | undefined): number | undefined {
  return duration === undefined ? undefined : parseDuration(duration);
}

/** The options a call step runs with. */
export function effectiveOptions(definition: WorkflowDefinition, step: CallStep, activityDefaults: CallOptions | undefined): EffectiveOptions {
  const levels: CallOptions[] = [
    { timeout: step.timeout, heartbeat: step.heartbeat, retry: step.retry },
    ...activityLevels(definition.activities, step.call),
    definition.defaults ?? {},
    activityDefaults ?? {},
    ENGINE_DEFAULTS,
  ];
  const retryOn = firstRetry(levels, 'retryOn');
  const maxElapsedMs = ms(firstRetry(levels, 'maxElapsed'));
  const heartbeatMs = ms(first(levels, 'heartbeat'));
  return {
    timeoutMs: ms(first(levels, 'timeout'))!,
    ...(heartbeatMs !== undefined && { heartbeatMs }),
    retry: {
      maxAttempts: firstRetry(levels, 'maxAttempts')!,
      initialIntervalMs: ms(firstRetry(levels, 'initialInterval'))!,
      backoff: firstRetry(levels, 'backoff')!,
      maxIntervalMs: ms(firstRetry(levels, 'maxInterval'))!,
      ...(maxElapsedMs !== undefined && { maxElapsedMs }),
      nonRetryable: firstRetry(levels, 'nonRetryable') ?? [],
      ...(retryOn !== undefined && { retryOn }),
    },
  };
}
