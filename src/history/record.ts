/**
 * The run record of docs/history.md#the-run-record, folded from history events. Pure, so every engine and
 * every tool (history, live view, tests, replay) builds it the same way.
 */
import type { Decision, ErrorInfo, HistoryEvent, RerunInfo, StepKey, TriggerInfo } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunStatus } from '../../interpreter/run.js';

export type StepStatus = 'running' | 'completed' | 'failed' | 'skipped' | 'compensated';

export interface AttemptFailure {
  attempt: number;
  error: ErrorInfo;
  at?: string;
  retryInMs?: number;
}

export interface StepRecord {
  /** Instance key: the id with its loop iterations (`ship[2]/book`). */
  key: StepKey;
  id: string;
  kind: string;
  status: StepStatus;
  parent?: StepKey;
  /** The engine that ran the step (where it ended, or where it runs now). */
  engine?: string;
  activity?: string;
  attempts?: number;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  input?: Json;
  output?: Json;
  error?: ErrorInfo;
  /** Failed attempts that were retried (or gave up). */
  failedAttempts?: AttemptFailure[];
  decision?: Decision;
  compensation?: { status: 'running' | 'completed' | 'failed'; startedAt?: string; endedAt?: string; error?: ErrorInfo };
  /** Answered from the recorded run this one re-runs (docs/replay.md#re-run-from-a-step): nothing ran for it here. */
  reused?: true;
}

export interface SignalRecord {
  seq: number;
  name: string;
  payload: Json;
  at?: string;
}

export interface RunRecord {
  runId: string;
  workflowId: string;
  workflow: string;
  version?: string;
  hash: string;
  /** The engine the run is on now (after a hand-over, the one it moved to). */
  engine: string;
  /** Moves between engines (`--engine auto`), in order. */
  handovers: { from: string; to: string; reason: string; at?: string }[];
  parent?: string;
  /** A re-run from a step: the run it re-runs and the step instance it went live at. */
  rerun?: RerunInfo;
  status: RunStatus;
  trigger: TriggerInfo & { at?: string };
  startedAt?: string;
  endedAt?: string;
  output?: Json;
  error?: ErrorInfo;
  cancelRequested?: { reason: string; at?: string };
  steps: StepRecord[];
  signals: SignalRecord[];
  rejectedSignals: { name: string; reason: string; at?: string }[];
  /** Compensations in the order they ran: the key of the call each one undoes. */
  compensations: StepKey[];
  /** Messages activities logged (`core.log` among them). */
  logs: { key: StepKey; level: string; message: string; data?: Json; at?: string }[];
}

/** Epoch ms → ISO string. Events come many per millisecond, so the last conversion is kept. */
let lastAt = NaN;
let lastIso = '';
const iso = (at: number | undefined): string | undefined => {
  if (at === undefined) return undefined;
  if (at !== lastAt) {
    lastIso = new Date(at).toISOString();
    lastAt = at;
  }
  return lastIso;
};

/**
 * Builds a run record event by event (the live view applies events as they come).
 * `defer` keeps events to fold later, when `record` is next read: a run whose record
 * nobody reads does not pay for it.
 */
export class RunRecorder {
  private readonly folded: RunRecord;
  private readonly byKey = new Map<StepKey, StepRecord>();
  /** Epoch ms each step started, for durations without parsing the ISO strings back. */
  private readonly startedAt = new Map<StepKey, number>();
  private pending: HistoryEvent[] = [];

  constructor() {
    this.folded = {
      runId: '', workflowId: '', workflow: '', hash: '', engine: '', handovers: [], status: 'running',
      trigger: { by: '', input: null }, steps: [], signals: [], rejectedSignals: [], compensations: [], logs: [],
    };
  }

  /** The record of every event applied or deferred so far (always the same object). */
  get record(): RunRecord {
    if (this.pending.length > 0) this.flush();
    return this.folded;
  }

  static fold(events: Iterable<HistoryEvent>): RunRecord {
    const recorder = new RunRecorder();
    for (const event of events) recorder.apply(event);
    return recorder.folded;
  }

  step(key: StepKey): StepRecord | undefined {
    if (this.pending.length > 0) this.flush();
    return this.byKey.get(key);
  }

  /** Keeps the event to be folded when the record is next read. */
  defer(event: HistoryEvent): void {
    this.pending.push(event);
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = [];
    for (const event of pending) this.fold(event);
  }

  apply(event: HistoryEvent): void {
    if (this.pending.length > 0) this.flush();
    this.fold(event);
  }

  private fold(event: HistoryEvent): void {
    const r = this.folded;
    const at = iso(event.at);
    switch (event.type) {
      case 'run.started':
        Object.assign(r, {
          runId: event.runId, workflowId: event.workflowId, workflow: event.workflow, hash: event.hash, engine: event.engine,
          trigger: { ...event.trigger, ...(at && { at }) }, startedAt: at,
          ...(event.version !== undefined && { version: event.version }), ...(event.parent !== undefined && { parent: event.parent }),
          ...(event.rerun !== undefined && { rerun: event.rerun }),
        });
        return;
      case 'run.completed':
        Object.assign(r, { status: 'completed', output: event.output, endedAt: at });
        return;
      case 'run.failed':
      case 'run.cancelled':
        Object.assign(r, { status: event.type === 'run.failed' ? 'failed' : 'cancelled', error: event.error, endedAt: at });
        return;
      case 'cancel.requested':
        r.cancelRequested = { reason: event.reason, ...(at && { at }) };
        return;
      case 'step.started':
      case 'step.skipped': {
        const known = this.byKey.get(event.key);
        const step: StepRecord = known ?? { key: event.key, id: event.id, kind: event.kind, status: event.type === 'step.started' ? 'running' : 'skipped' };
        if (known) Object.assign(known, { key: event.key, id: event.id, kind: event.kind, status: event.type === 'step.started' ? 'running' : 'skipped' });
        if (event.parent !== undefined) step.parent = event.parent;
        if (event.reused) step.reused = true;
        if (event.type === 'step.started') {
          step.engine = r.engine;
          if (event.activity !== undefined) step.activity = event.activity;
          if (event.input !== undefined) step.input = event.input;
          if (at) step.startedAt = at;
          if (event.at !== undefined) this.startedAt.set(event.key, event.at);
        }
        if (!known) {
          r.steps.push(step);
          this.byKey.set(event.key, step);
        }
        return;
      }
      case 'step.completed':
      case 'step.failed': {
        const step = this.byKey.get(event.key);
        if (!step) return;
        step.status = event.type === 'step.completed' ? 'completed' : 'failed';
        step.engine = r.engine;
        if (event.type === 'step.completed' && event.output !== undefined) step.output = event.output;
        if (event.type === 'step.failed') step.error = event.error;
        if (event.attempts !== undefined) step.attempts = event.attempts;
        if (event.reused) step.reused = true;
        if (at) {
          step.endedAt = at;
          const started = this.startedAt.get(event.key);
          if (started !== undefined) step.durationMs = event.at! - started;
        }
        return;
      }
      case 'step.decision': {
        const step = this.byKey.get(event.key);
        if (step) step.decision = event.decision;
        return;
      }
      case 'attempt.failed': {
        const step = this.byKey.get(event.key);
        if (!step) return;
        const failure: AttemptFailure = { attempt: event.attempt, error: event.error };
        if (at) failure.at = at;
        if (event.retryInMs !== undefined) failure.retryInMs = event.retryInMs;
        (step.failedAttempts ??= []).push(failure);
        step.attempts = event.attempt;
        return;
      }
      case 'engine.handover':
        r.handovers.push({ from: event.from, to: event.to, reason: event.reason, ...(at && { at }) });
        r.engine = event.to;
        return;
      case 'signal.received':
        r.signals.push({ seq: event.seq, name: event.name, payload: event.payload, ...(at && { at }) });
        return;
      case 'log':
        r.logs.push({ key: event.key, level: event.level, message: event.message, ...(event.data !== undefined && { data: event.data }), ...(at && { at }) });
        return;
      case 'signal.rejected':
        r.rejectedSignals.push({ name: event.name, reason: event.reason, ...(at && { at }) });
        return;
      case 'compensation.started':
      case 'compensation.completed':
      case 'compensation.failed': {
        const step = this.byKey.get(event.key);
        if (event.type === 'compensation.started') r.compensations.push(event.key);
        if (!step) return;
        if (event.type === 'compensation.started') step.compensation = { status: 'running', ...(at && { startedAt: at }) };
        else {
          step.compensation = { ...step.compensation, status: event.type === 'compensation.completed' ? 'completed' : 'failed', ...(at && { endedAt: at }) };
          if (event.type === 'compensation.failed') step.compensation.error = event.error;
          else step.status = 'compensated';
        }
        return;
      }
    }
  }
}
