/**
 * The `revo.activity` span of one activity attempt, the same on both engines: the local
 * runtime makes it in its step's span, the Temporal activity wrapper in the SDK's
 * RunActivity span (docs/temporal.md#tracing). A no-op while nothing traces.
 */
import { context, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { SPANS, TRACER } from '../sandboxed/telemetry.js';

export interface AttemptSpanInfo {
  activity: string;
  step: string;
  attempt: number;
  runId: string;
}

export function inActivitySpan<T>(info: AttemptSpanInfo, parent: Context | undefined, attempt: () => Promise<T>): Promise<T> {
  const attributes = { 'revo.activity': info.activity, 'revo.step.id': info.step, 'revo.attempt': info.attempt, 'revo.run_id': info.runId };
  return trace.getTracer(TRACER).startActiveSpan(SPANS.activity, { attributes }, parent ?? context.active(), async (span) => {
    try {
      return await attempt();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
