/**
 * Effective options of a call step (docs/dsl.md#errors-timeouts-and-retries, #routing):
 * merged field by field, first found wins; and the priorities of runs, calls and children
 * (docs/dsl.md#priority), merged the same way.
 */
import { parseDuration } from './duration.js';
import { WorkflowError } from './errors.js';
import { render } from './expressions.js';
import type { CallOptions, CallStep, Json, Priority, RetryPolicy, WorkflowDefinition } from './model.js';
import { createScope, type Scope } from './scope.js';

/** Options with every field resolved; durations in milliseconds. */
export interface EffectiveOptions {
  timeoutMs: number;
  heartbeatMs?: number;
  retry: EffectiveRetry;
  /** Absent: the run's own task queue. */
  taskQueue?: string;
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
    { timeout: step.timeout, heartbeat: step.heartbeat, retry: step.retry, taskQueue: step.taskQueue },
    ...activityLevels(definition.activities, step.call),
    definition.defaults ?? {},
    activityDefaults ?? {},
    ENGINE_DEFAULTS,
  ];
  const retryOn = firstRetry(levels, 'retryOn');
  const maxElapsedMs = ms(firstRetry(levels, 'maxElapsed'));
  const heartbeatMs = ms(first(levels, 'heartbeat'));
  const taskQueue = first(levels, 'taskQueue');
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
    ...(taskQueue !== undefined && { taskQueue }),
  };
}

/** A priority with its fairness key rendered: the fields Temporal takes. */
export interface EffectivePriority {
  key?: number;
  fairnessKey?: string;
  fairnessWeight?: number;
}

/** Temporal's default range of priority keys (a server can be configured otherwise; Revo keeps to the default). */
export const PRIORITY_KEY_MIN = 1;
export const PRIORITY_KEY_MAX = 5;

/** The most a fairness key may hold (Temporal's limit), in UTF-8 bytes. */
export const FAIRNESS_KEY_MAX_BYTES = 64;

/** `priority` with its fairness key rendered against `scope`; undefined when it sets nothing. */
export function renderPriority(priority: Priority | undefined, scope: Scope, where: string): EffectivePriority | undefined {
  if (!priority) return undefined;
  const fairnessKey = priority.fairnessKey === undefined ? undefined : fairnessKeyOf(render(priority.fairnessKey, scope, where), where);
  return mergePriority({
    ...(priority.key !== undefined && { key: priority.key }),
    ...(fairnessKey !== undefined && { fairnessKey }),
    ...(priority.fairnessWeight !== undefined && { fairnessWeight: priority.fairnessWeight }),
  });
}

function fairnessKeyOf(value: Json, where: string): string {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new WorkflowError('ExpressionError', `${where}: priority.fairnessKey rendered ${JSON.stringify(value)}; it must render to a string (docs/dsl.md#priority)`, { nonRetryable: true });
  }
  const key = String(value);
  if (new TextEncoder().encode(key).length > FAIRNESS_KEY_MAX_BYTES) {
    throw new WorkflowError('ExpressionError', `${where}: priority.fairnessKey "${key.slice(0, 80)}" is longer than ${FAIRNESS_KEY_MAX_BYTES} bytes, Temporal's limit`, { nonRetryable: true });
  }
  return key;
}

/** Field by field, the first level that sets a field wins; undefined when none sets any. */
export function mergePriority(...levels: (EffectivePriority | undefined)[]): EffectivePriority | undefined {
  const merged: EffectivePriority = {};
  for (const field of ['key', 'fairnessKey', 'fairnessWeight'] as const) {
    const level = levels.find((l) => l?.[field] !== undefined);
    if (level) (merged as Record<string, unknown>)[field] = level[field];
  }
  return Object.keys(merged).length === 0 ? undefined : merged;
}

/**
 * The priority a run starts with: `given` (`--priority`, `Revo.start`, a child step's
 * own) over the definition's `priority`, whose templates see the run's `input`. What
 * neither sets, Temporal inherits from the parent run, if any.
 */
export function startPriority(definition: WorkflowDefinition, input: Json, given?: EffectivePriority): EffectivePriority | undefined {
  return mergePriority(given, renderPriority(definition.priority, createScope({ input }), `workflow "${definition.name}"`));
}
