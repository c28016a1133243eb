/** Synthetic runs for the progress views: events stamped with a fake clock, folded as the engine does. */
import { vi } from 'vitest';
import type { Decision, ErrorInfo, HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { RunRecorder } from '../../src/history/record.js';
import { createProgressView, type ProgressOptions, type ProgressView } from '../../src/cli/progress/index.js';

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

/** Collects what a view writes. */
export function sink() {
  const chunks: string[] = [];
  const stream = {
    write(chunk: string | Uint8Array) {
      chunks.push(String(chunk));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { stream, chunks, text: () => chunks.join('') };
}

export const error = (text: string, step?: string): ErrorInfo => {
  const [type, ...rest] = text.split(': ');
  return { type: type!, message: rest.join(': '), ...(step !== undefined && { step }) };
};

interface StartOptions {
  parent?: string;
  activity?: string;
}

/** Feeds events to a view as a run would, with the record after each. */
export class RunBuilder {
  private manual = T0;
  readonly recorder = new RunRecorder();
  readonly view: ProgressView;

  constructor(
    readonly out: NodeJS.WritableStream,
    options: Omit<ProgressOptions, 'now'>,
    readonly runId = 'run-7f3a',
  ) {
    this.view = createProgressView(out, { ...options, now: () => this.now });
  }

  /** The run's clock: the fake timers' when they are on, so each redraw sees its own time. */
  get now(): number {
    return vi.isFakeTimers() ? Date.now() : this.manual;
  }

  /** Time passes (and the fake timers with it, when they are on). */
  after(ms: number): this {
    if (vi.isFakeTimers()) vi.advanceTimersByTime(ms);
    else this.manual += ms;
    return this;
  }

  emit(event: HistoryEvent): this {
    const stamped = { ...event, at: event.at ?? this.now } as HistoryEvent;
    this.recorder.apply(stamped);
    this.view.event(this.runId, stamped, this.recorder.record);
    return this;
  }

  runStarted(workflow = 'checkout'): this {
    return this.emit({ type: 'run.started', runId: this.runId, workflowId: 'wf-1', workflow, hash: 'h', engine: 'local', trigger: { by: 'cli', input: null } });
  }

  start(key: string, kind: string, options: StartOptions = {}): this {
    const id = key.slice(key.lastIndexOf('/') + 1);
    return this.emit({ type: 'step.started', key, id, kind, ...options });
  }

  done(key: string, attempts?: number): this {
    return this.emit({ type: 'step.completed', key, ...(attempts !== undefined && { attempts }) });
  }

  fail(key: string, text: string, attempts?: number): this {
    return this.emit({ type: 'step.failed', key, error: error(text, key.slice(key.lastIndexOf('/') + 1)), ...(attempts !== undefined && { attempts }) });
  }

  /** A container failing with the error of a step inside it. */
  failWith(key: string, err: ErrorInfo): this {
    return this.emit({ type: 'step.failed', key, error: err });
  }

  skip(key: string, kind: string, parent?: string): this {
    const id = key.slice(key.lastIndexOf('/') + 1);
    return this.emit({ type: 'step.skipped', key, id, kind, ...(parent !== undefined && { parent }) });
  }

  retry(key: string, attempt: number, text: string, retryInMs: number): this {
    return this.emit({ type: 'attempt.failed', key, attempt, error: error(text), retryInMs });
  }

  decide(key: string, decision: Decision): this {
    return this.emit({ type: 'step.decision', key, decision });
  }

  log(key: string, level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Json): this {
    return this.emit({ type: 'log', key, level, message, ...(data !== undefined && { data }) });
  }

  /** A call that takes `ms`. */
  call(key: string, activity: string, ms: number, parent?: string): this {
    return this.start(key, 'call', { activity, ...(parent !== undefined && { parent }) }).after(ms).done(key);
  }

  /** A `set` step: instantaneous. */
  set(key: string, parent?: string): this {
    return this.start(key, 'set', parent === undefined ? {} : { parent }).done(key);
  }

  runCompleted(): this {
    return this.emit({ type: 'run.completed', output: null });
  }

  runFailed(err: ErrorInfo): this {
    return this.emit({ type: 'run.failed', error: err });
  }
}

const SGR = /\x1b\[[0-9;]*m/g;
const CONTROL = /\x1b\[[0-9;]*[A-Za-z]|\r/g;

export const stripColor = (text: string): string => text.replace(SGR, '');
export const stripControl = (text: string): string => text.replace(CONTROL, '');

/** The lines of plain output. */
export const lines = (text: string): string[] => text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);

/** The frames of a live view: one per write, as the lines it leaves on screen. */
export function frames(chunks: string[]): string[][] {
  return chunks.map((chunk) => stripControl(chunk).split('\n').slice(0, -1));
}
