/**
 * A Runtime that does nothing: every operation is answered from a run's recorded
 * history events, by the step key the interpreter gives it. So the interpreter can walk
 * a recorded run again — with the definition it ran, or another one — without calling
 * an activity, starting a timer or a child. An operation the recording has no end for
 * (the run was still going, or the definition now does something else) never settles
 * unless cancelled: the replay stops there.
 */
import type { Cancellation } from '../../interpreter/cancellation.js';
import { fromErrorInfo } from '../../interpreter/control.js';
import type { ErrorInfo, HistoryEvent, StepKey } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { ActivityOutcome, ActivityRequest, ChildOutcome, ChildRequest, RunInfo, Runtime } from '../../interpreter/runtime.js';

interface StepEnd {
  /** Index of the event in the recording: orders ends against a cancellation, and compensations. */
  position: number;
  failed: boolean;
  output?: Json;
  error?: ErrorInfo;
  attempts?: number;
}

export class RecordedRuntime implements Runtime {
  readonly info: RunInfo;
  /** Every event the interpreter emitted during the replay, in order. */
  readonly events: HistoryEvent[] = [];
  private readonly ends = new Map<StepKey, StepEnd>();
  private readonly activities = new Map<StepKey, string>();
  private readonly cancelAt: { position: number; reason: string } | undefined;
  private cancelFired = false;

  /** `onCancel`: called once, when the replay reaches the point where the recorded run was asked to stop. */
  constructor(
    recorded: readonly HistoryEvent[],
    private readonly onCancel: (reason: string) => void,
  ) {
    let info: RunInfo = { workflowId: '', runId: '', engine: 'replay' };
    let cancelAt: RecordedRuntime['cancelAt'];
    recorded.forEach((event, position) => {
      switch (event.type) {
        case 'run.started':
          info = { workflowId: event.workflowId, runId: event.runId, engine: event.engine };
          break;
        case 'cancel.requested':
          cancelAt ??= { position, reason: event.reason };
          break;
        case 'step.started':
          if (event.activity !== undefined) this.activities.set(event.key, event.activity);
          break;
        case 'step.completed':
          this.ends.set(event.key, { position, failed: false, ...(event.output !== undefined && { output: event.output }), ...(event.attempts !== undefined && { attempts: event.attempts }) });
          break;
        case 'step.failed':
          this.ends.set(event.key, { position, failed: true, error: event.error, ...(event.attempts !== undefined && { attempts: event.attempts }) });
          break;
      }
    });
    this.info = info;
    this.cancelAt = cancelAt;
  }

  record(event: HistoryEvent): void {
    this.events.push(event);
  }

  async activity(request: ActivityRequest, cancellation: Cancellation): Promise<ActivityOutcome> {
    const recorded = this.activities.get(request.key);
    // Another activity than the recorded one: its recorded result means nothing here (the comparison reports it).
    if (recorded !== undefined && recorded !== request.activity) return this.pending(cancellation);
    const end = await this.endOf(request.key, cancellation);
    return { output: end.output ?? null, attempts: end.attempts ?? 1, sequence: end.position };
  }

  async sleep(key: StepKey, _ms: number, cancellation: Cancellation): Promise<void> {
    await this.endOf(key, cancellation);
  }

  async receiveSignal(key: StepKey, _name: string, _timeoutMs: number | undefined, cancellation: Cancellation): Promise<{ payload: Json } | undefined> {
    const end = this.ends.get(key);
    // A wait that failed with Timeout got no signal in time; the wait step raises the error itself.
    if (end?.failed && end.error?.type === 'Timeout' && !cancellation.cancelled) return undefined;
    return { payload: (await this.endOf(key, cancellation)).output ?? null };
  }

  async child(request: ChildRequest, cancellation: Cancellation): Promise<ChildOutcome> {
    const { output } = await this.endOf(request.key, cancellation);
    if (request.wait) return { workflowId: '', runId: '', output: output ?? null };
    const workflowId = (output as { workflowId?: string } | undefined)?.workflowId ?? '';
    return { workflowId, runId: '' };
  }

  /**
   * The recorded end of the operation of step `key`: its result, or its error thrown. A
   * cancellation recorded before that end is applied first, as it happened; an operation
   * the recording has not ended waits (for a cancellation, or for ever).
   */
  private async endOf(key: StepKey, cancellation: Cancellation): Promise<StepEnd> {
    const end = this.ends.get(key);
    if (this.cancelAt && !this.cancelFired && (end === undefined || end.position > this.cancelAt.position)) {
      this.cancelFired = true;
      this.onCancel(this.cancelAt.reason);
    }
    if (end === undefined || (end.failed && cancellation.cancelled)) return this.pending(cancellation);
    if (end.failed) throw fromErrorInfo(end.error!);
    return end;
  }

  /** Settles only when cancelled (with the cancellation's reason). */
  private pending(cancellation: Cancellation): Promise<never> {
    return new Promise((_resolve, reject) => {
      if (cancellation.cancelled) reject(cancellation.reason);
      else cancellation.onCancel((reason) => reject(reason));
    });
  }
}
