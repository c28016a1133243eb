/**
 * OpenTelemetry tracing of runs, steps and activities (docs/temporal.md#tracing), set up
 * from the standard `OTEL_*` environment variables: spans go to the OTLP/HTTP exporter,
 * which reads `OTEL_EXPORTER_OTLP_ENDPOINT`, `…_TRACES_ENDPOINT`, `…_HEADERS` itself.
 * With none of those set nothing is installed or loaded, and Revo's spans stay no-ops.
 *
 * Node side only: the workflow sandbox's spans reach `workflowSpans`, the processor the
 * worker hands to the SDK's workflow exporter sink.
 */
import type { IResource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  resource: IResource;
  /** Where the worker's sink sends the spans made inside the workflow sandbox. */
  workflowSpans: SpanProcessor;
  /** Exports what is buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

let installed: Tracing | undefined;

/** Whether the environment asks for traces (an OTLP endpoint, or `OTEL_TRACES_EXPORTER=otlp`), and does not disable the SDK. */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER === 'otlp');
}

/** The process's tracing, installed by `installTracing` (undefined: not traced). */
export function currentTracing(): Tracing | undefined {
  return installed;
}

/**
 * Registers the global tracer provider (with Node's async context, so a span made in an
 * activity has the SDK's RunActivity span for parent) when the environment asks for
 * traces; once per process. Undefined when it does not.
 */
export async function installTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (installed || !tracingRequested(env)) return installed;
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { Resource, envDetectorSync }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  // `revo` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES say otherwise.
  const resource = Resource.default().merge(new Resource({ [ATTR_SERVICE_NAME]: 'revo' })).merge(envDetectorSync.detect());
  const processor = new BatchSpanProcessor(new OTLPTraceExporter());
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  installed = { resource, workflowSpans: processor, shutdown: () => provider.shutdown() };
  return installed;
}

/** Exports what is buffered, if tracing is installed. */
export async function shutdownTracing(): Promise<void> {
  await installed?.shutdown();
}
