/**
 * The workflow interceptors of the traced bundle (scripts/bundle-workflow.js): the SDK's
 * OpenTelemetry ones, which make the RunWorkflow and StartActivity spans, register the
 * tracer provider Revo's own spans use in the sandbox (src/sandboxed/telemetry.ts), and
 * send every span out through the worker's `exporter` sink (docs/temporal.md#tracing).
 */
export { interceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js';
