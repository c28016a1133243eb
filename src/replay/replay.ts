/**
 * Replaying a recorded run: the interpreter walks the definition again on a
 * RecordedRuntime (nothing runs, nothing is written), and what it emits is compared,
 * step by step, with what was recorded. Pure apart from waiting for the interpreter.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { Interpreter } from '../../interpreter/run.js';
import { RunRecorder, type RunRecord } from '../history/record.js';
import { firstDivergence, type Divergence } from './divergence.js';
import { RecordedRuntime } from './recorded-runtime.js';

export interface ReplayResult {
  /** The record the replay rebuilt (for a run that had not ended, up to where the recording stops). */
  record: RunRecord;
  /** The first step where the replay and the recording part ways, if any. */
  divergence: Divergence | undefined;
}

/** Replays `recorded` (a run's history events) with `bundle` and `input`, without side effects. */
export async function replayRun(bundle: WorkflowBundle, input: Json, recorded: readonly HistoryEvent[]): Promise<ReplayResult> {
  let interpreter: Interpreter | undefined;
  const runtime = new RecordedRuntime(recorded, (reason) => interpreter?.cancel(reason));
  interpreter = new Interpreter({ bundle, input }, runtime);
  let settled = false;
  const done = interpreter.run().then(
    () => (settled = true),
    () => (settled = true),
  );
  // Every recorded answer settles within a turn of the event loop: once a turn passes
  // with nothing new, the interpreter waits on something the recording does not hold.
  for (let seen = -1; !settled && seen !== runtime.events.length; ) {
    seen = runtime.events.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (settled) await done;
  const recordedEnded = recorded.some((e) => e.type === 'run.completed' || e.type === 'run.failed' || e.type === 'run.cancelled');
  return {
    record: RunRecorder.fold(runtime.events),
    divergence: firstDivergence(recorded, runtime.events, { recordingEnded: recordedEnded }),
  };
}
