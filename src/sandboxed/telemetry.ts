/**
 * What a run's events tell operations, decided once for both engines: the metric facts
 * (a step completed or failed, with its kind, activity, attempts and time; a compensation;
 * a hand-over; a run's end) and the spans (docs/temporal.md#metrics, #tracing).
 *
 * Both engines' runtimes pass every history event they record through `observe`. On
 * Temporal this runs in the workflow sandbox, where nothing may do I/O: facts leave through
 * a sink (not called on replay, so nothing counts twice) and spans through the SDK's
 * OpenTelemetry workflow interceptors when the worker traces. Without a registered tracer
 * provider `@opentelemetry/api` hands out no-op spans, so an untraced run pays nothing.
 */
import { context, trace, SpanStatusCode, type Context, type Span } from '@opentelemetry/api';
import type { HistoryEvent, StepKey } from '../../interpreter/history.js';

export type MetricFact =
  | { type: 'step'; outcome: 'completed' | 'failed'; workflow: string; kind: string; activity: string; attempts?: number; seconds?: number }
  | { type: 'compensation'; outcome: 'completed' | 'failed'; workflow: string }
  | { type: 'handover'; workflow: string; from: string; to: string }
  | { type: 'run'; outcome: 'completed' | 'failed' | 'cancelled'; workflow: string };

/** The tracer's name and the spans Revo makes, the same on both engines. */
export const TRACER = 'revo';
export const SPANS = { run: 'revo.run', step: 'revo.step', activity: 'revo.activity' } as const;

interface OpenStep {
  kind: string;
  activity: string;
  startedAt?: number;
  span?: Span;
}

export interface RunTelemetryOptions {
  workflow: string;
  runId: string;
  engine: string;
  /** Where metric facts go (none: not counted). */
  onMetric?(fact: MetricFact): void;
  /** The run span's parent (default: the active context, e.g. Temporal's RunWorkflow span). */
  parent?: Context;
}

export class RunTelemetry {
  private readonly steps = new Map<StepKey, OpenStep>();
  private readonly runSpan: Span;
  private readonly runContext: Context;
  private ended = false;

  constructor(private readonly options: RunTelemetryOptions) {
    const parent = options.parent ?? context.active();
    this.runSpan = trace.getTracer(TRACER).startSpan(
      SPANS.run,
      { attributes: { 'revo.workflow': options.workflow, 'revo.run_id': options.runId, 'revo.engine': options.engine } },
      parent,
    );
    this.runContext = trace.setSpan(parent, this.runSpan);
  }

  /** The context of a step's span (the run's when the step has none open): its activities start in it. */
  stepContext(key: StepKey): Context {
    const span = this.steps.get(key)?.span;
    return span ? trace.setSpan(this.runContext, span) : this.runContext;
  }

  /**
   * One recorded event. `live` false: an event of a part of the run done elsewhere (the
   * local part of a handed-over run): it only tells where steps stand; of those, only the
   * hand-over itself is counted here.
   */
  observe(event: HistoryEvent, live = true): void {
    const { workflow } = this.options;
    switch (event.type) {
      case 'step.started': {
        const step: OpenStep = { kind: event.kind, activity: event.activity ?? '', ...(event.at !== undefined && { startedAt: event.at }) };
        if (live && !event.reused) {
          const parent = event.parent === undefined ? this.runContext : this.stepContext(event.parent);
          step.span = trace.getTracer(TRACER).startSpan(
            SPANS.step,
            {
              ...(event.at !== undefined && { startTime: event.at }),
              attributes: { 'revo.workflow': workflow, 'revo.step.id': event.id, 'revo.step.key': event.key, 'revo.step.kind': event.kind, ...(event.activity && { 'revo.activity': event.activity }) },
            },
            parent,
          );
        }
        this.steps.set(event.key, step);
        return;
      }
      case 'step.completed':
      case 'step.failed': {
        const step = this.steps.get(event.key);
        this.steps.delete(event.key);
        if (!live || event.reused || !step) return;
        const outcome = event.type === 'step.completed' ? 'completed' : 'failed';
        if (step.span) {
          if (event.attempts !== undefined) step.span.setAttribute('revo.attempts', event.attempts);
          if (event.type === 'step.failed') step.span.setStatus({ code: SpanStatusCode.ERROR, message: `${event.error.type}: ${event.error.message}` });
          step.span.end(event.at);
        }
        const seconds = step.startedAt !== undefined && event.at !== undefined ? (event.at - step.startedAt) / 1000 : undefined;
        this.options.onMetric?.({
          type: 'step', outcome, workflow, kind: step.kind, activity: step.activity,
          ...(event.attempts !== undefined && { attempts: event.attempts }),
          ...(seconds !== undefined && { seconds }),
        });
        return;
      }
      case 'compensation.completed':
      case 'compensation.failed':
        if (live) this.options.onMetric?.({ type: 'compensation', outcome: event.type === 'compensation.completed' ? 'completed' : 'failed', workflow });
        return;
      case 'engine.handover':
        this.options.onMetric?.({ type: 'handover', workflow, from: event.from, to: event.to });
        return;
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled': {
        if (!live) return;
        const outcome = event.type === 'run.completed' ? 'completed' : event.type === 'run.failed' ? 'failed' : 'cancelled';
        this.options.onMetric?.({ type: 'run', outcome, workflow });
        if (event.type !== 'run.completed') this.runSpan.setStatus({ code: SpanStatusCode.ERROR, message: `${event.error.type}: ${event.error.message}` });
        this.end(event.at);
        return;
      }
    }
  }

  /** Ends the run span (and any step span still open: the run stopped, or continues as new). */
  end(at?: number): void {
    if (this.ended) return;
    this.ended = true;
    for (const step of this.steps.values()) step.span?.end(at);
    this.runSpan.end(at);
  }
}
