/**
 * One attempt of an activity: its context, the per-attempt timeout, the heartbeat
 * timeout and cancellation, all surfacing as an aborted `context.signal` and as the
 * attempt's error (an activity that ignores the signal is abandoned, not awaited).
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { formatDuration } from '../../interpreter/duration.js';
import type { ActivityRequest } from '../../interpreter/runtime.js';
import type { Json } from '../../interpreter/model.js';
import type { Cancellation } from '../../interpreter/cancellation.js';
import type { ActivityContext, ActivityDefinition } from '../activities/types.js';
import { asActivityError } from '../sandboxed/dsl-errors.js';

const PENDING: unique symbol = Symbol('pending');
const NOT_YET = Promise.resolve(PENDING);
const NO_HEARTBEAT = () => {};
const ignore = () => {};

const describe = (request: ActivityRequest, attempt: number) => `activity "${request.activity}" (step "${request.step}", attempt ${attempt})`;

export type ActivityLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: unknown, request?: ActivityRequest) => void;

export async function runAttempt(
  definition: ActivityDefinition,
  request: ActivityRequest,
  attempt: number,
  runId: string,
  cancellation: Cancellation,
  log: ActivityLog,
  /** Time left of the step's `maxElapsed` (all attempts together): the attempt is stopped with Timeout when it runs out. */
  deadlineMs?: number,
): Promise<Json> {
  // The AbortController is made only if the activity looks at its signal, the promise that ends the wait for an
  // aborted attempt only if the activity did not settle at once: most never need either.
  let controller: AbortController | undefined;
  let abortedWith: WorkflowError | undefined;
  let fail: ((error: WorkflowError) => void) | undefined;
  const abort = (error: WorkflowError) => {
    if (abortedWith) return;
    abortedWith = error;
    controller?.abort(error);
    fail?.(error);
  };
  const { timeoutMs, heartbeatMs } = request.options;
  const began = performance.now();
  let timeout: ReturnType<typeof setTimeout> | undefined;
  let heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  const armHeartbeat =
    heartbeatMs === undefined
      ? NO_HEARTBEAT
      : () => {
          clearTimeout(heartbeatTimer);
          heartbeatTimer = setTimeout(() => abort(new WorkflowError('Timeout', `${describe(request, attempt)} sent no heartbeat for ${formatDuration(heartbeatMs)}`)), heartbeatMs);
        };
  armHeartbeat();
  const stopListening = cancellation.onCancel(abort);
  const context: ActivityContext = {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (abortedWith) controller.abort(abortedWith);
      }
      return controller.signal;
    },
    heartbeat: armHeartbeat,
    attempt,
    activity: request.activity,
    step: request.step,
    runId,
    log: (level, message, data) => log(level, message, data, request),
  };
  try {
    // A copy, so an activity that mutates its input cannot change the run's variables (a primitive needs none).
    const given = request.input;
    const input = typeof given === 'object' && given !== null ? structuredClone(given) : given;
    const running = definition.run(input, context);
    // An activity that settled at once (an async function without awaits) wins this race against an
    // already-resolved marker; only one that has not needs the timeout and the wait for an abort.
    let output = await Promise.race([running, NOT_YET]);
    if (output === PENDING) {
      if (abortedWith) throw abortedWith;
      // The timeout counts from the attempt's start: it fires when it would have fired if armed first thing.
      const late = Math.floor(performance.now() - began);
      timeout =
        deadlineMs !== undefined && deadlineMs < timeoutMs
          ? setTimeout(() => abort(new WorkflowError('Timeout', `${describe(request, attempt)} exceeded its maxElapsed of ${formatDuration(request.options.retry.maxElapsedMs ?? 0)}`)), Math.max(0, deadlineMs - late))
          : setTimeout(() => abort(new WorkflowError('Timeout', `${describe(request, attempt)} timed out after ${formatDuration(timeoutMs)}`)), late > 0 ? Math.max(0, timeoutMs - late) : timeoutMs);
      const aborted = new Promise<never>((_, reject) => (fail = reject));
      aborted.catch(ignore);
      output = await Promise.race([running, aborted]);
    }
    return (output === undefined ? null : output) as Json;
  } catch (thrown) {
    if (abortedWith) throw abortedWith;
    throw asActivityError(thrown);
  } finally {
    clearTimeout(timeout);
    clearTimeout(heartbeatTimer);
    stopListening();
  }
}

