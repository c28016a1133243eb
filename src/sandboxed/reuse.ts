/**
 * Re-running from a step (docs/replay.md#re-run-from-a-step): the new run carries a
 * plan of the step instances it takes from the recorded run, with their recorded
 * outcomes, and this Runtime answers their operations from it — no activity, timer,
 * signal wait or child runs for them — and marks their events `reused`. Everything
 * else goes to the engine's own Runtime, live. Written once for both engines (the
 * local runtime and the Temporal workflow wrap theirs in it), and deterministic: on
 * Temporal it issues no command for a reused step.
 */
import type { Cancellation } from '../../interpreter/cancellation.js';
import { fromErrorInfo } from '../../interpreter/control.js';
import type { ErrorInfo, HistoryEvent, RerunInfo, StepKey } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { ActivityOutcome, ActivityRequest, ChildOutcome, ChildRequest, RunInfo, Runtime } from '../../interpreter/runtime.js';

/** One step instance taken from the recorded run, as it ended there. */
export interface ReusedStep {
  key: StepKey;
  kind: string;
  status: 'completed' | 'failed' | 'skipped';
  /** A `call`'s activity: only a call of the same activity is answered. */
  activity?: string;
  /** The step's recorded output: a call's result, a wait's payload, a child's output (or `{ workflowId }` when not waited for). */
  output?: Json;
  error?: ErrorInfo;
  attempts?: number;
  /** A completed call's place in the recorded completion order, below every call of the new run: compensations unwind by it. */
  sequence?: number;
}

/** What a run re-run from a step starts with (plain JSON: it travels in the start input and the journal). */
export interface ReusePlan extends RerunInfo {
  /** Every step instance answered from the recorded run, in the recorded order. */
  steps: ReusedStep[];
}

/** The kind of step each operation belongs to. */
const OPERATION_KIND = { activity: 'call', sleep: 'sleep', signal: 'wait', child: 'child' } as const;

export class ReusingRuntime implements Runtime {
  private readonly reused = new Map<StepKey, ReusedStep>();

  constructor(
    private readonly live: Runtime,
    readonly plan: ReusePlan,
  ) {
    for (const step of plan.steps) this.reused.set(step.key, step);
  }

  get info(): RunInfo {
    return this.live.info;
  }

  /** Whether step instance `key` is answered from the recorded run. */
  reuses(key: StepKey): boolean {
    return this.reused.has(key);
  }

  record(event: HistoryEvent): void {
    const reused = (event.type === 'step.started' || event.type === 'step.completed' || event.type === 'step.failed' || event.type === 'step.skipped') && this.reused.has(event.key);
    this.live.record(reused ? { ...event, reused: true } : event);
  }

  async activity(request: ActivityRequest, cancellation: Cancellation): Promise<ActivityOutcome> {
    const step = this.answer(request.key, 'activity', cancellation);
    if (!step || step.activity !== request.activity) return this.live.activity(request, cancellation);
    if (step.status === 'failed') throw fromErrorInfo(step.error!);
    return { output: step.output ?? null, attempts: step.attempts ?? 1, sequence: step.sequence ?? -1 };
  }

  async sleep(key: StepKey, ms: number, cancellation: Cancellation): Promise<void> {
    const step = this.answer(key, 'sleep', cancellation);
    if (!step) return this.live.sleep(key, ms, cancellation);
    if (step.status === 'failed') throw fromErrorInfo(step.error!);
  }

  async receiveSignal(key: StepKey, name: string, timeoutMs: number | undefined, cancellation: Cancellation): Promise<{ payload: Json } | undefined> {
    const step = this.answer(key, 'signal', cancellation);
    if (!step) return this.live.receiveSignal(key, name, timeoutMs, cancellation);
    // A wait that timed out got no signal in time: the wait step raises its Timeout itself.
    if (step.status === 'failed') {
      if (step.error?.type === 'Timeout') return undefined;
      throw fromErrorInfo(step.error!);
    }
    return { payload: step.output ?? null };
  }

  async child(request: ChildRequest, cancellation: Cancellation): Promise<ChildOutcome> {
    const step = this.answer(request.key, 'child', cancellation);
    if (!step) return this.live.child(request, cancellation);
    if (step.status === 'failed') throw fromErrorInfo(step.error!);
    if (request.wait) return { workflowId: '', runId: '', output: step.output ?? null };
    const workflowId = String((step.output as { workflowId?: unknown } | null | undefined)?.workflowId ?? '');
    return { workflowId, runId: workflowId };
  }

  continueAsNewSuggested(): boolean {
    return this.live.continueAsNewSuggested?.() === true;
  }

  patched(changeId: string): boolean {
    return this.live.patched ? this.live.patched(changeId) : true;
  }

  /** The recorded end of the step whose operation this is, if it is reused and of that kind. */
  private answer(key: StepKey, operation: keyof typeof OPERATION_KIND, cancellation: Cancellation): ReusedStep | undefined {
    const step = this.reused.get(key);
    if (!step || step.kind !== OPERATION_KIND[operation] || step.status === 'skipped') return undefined;
    cancellation.throwIfCancelled();
    return step;
  }
}

/** The engine's Runtime, wrapped when the run re-runs an earlier one from a step. */
export function withReuse(live: Runtime, plan: ReusePlan | undefined): Runtime {
  return plan ? new ReusingRuntime(live, plan) : live;
}
