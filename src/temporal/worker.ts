/**
 * A Revo worker: the one workflow type plus every typed activity, on one task queue.
 * Add workers (on any machine) to scale; each picks up workflow and activity tasks.
 */
import type { Resource } from '@opentelemetry/resources';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../telemetry/tracing.js';
import type { ActivityDefinition } from '../activities/types.js';
import { temporalActivities } from './activities.js';
import { HISTORY_SINK, METRICS_SINK } from '../sandboxed/workflow/contract.js';
import type { MetricFact } from '../sandboxed/telemetry.js';
import { revoMetrics } from '../telemetry/metrics.js';
import { workflowBundle } from './workflow-code.js';

export interface RevoWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: Iterable<ActivityDefinition>;
  identity?: string;
  /** How long activities in flight may finish after `shutdown()` before they are cancelled (the SDK's default: none). */
  shutdownGraceMs?: number;
  /** Trace runs, steps and activities (src/telemetry/tracing.ts); absent, nothing about OpenTelemetry is loaded. */
  tracing?: Tracing;
}

export async function createWorker(options: RevoWorkerOptions): Promise<Worker> {
  const traced = options.tracing && (await tracedWorkerOptions(options.tracing));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity && { identity: options.identity }),
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceTime: options.shutdownGraceMs }),
    workflowBundle: workflowBundle({ traced: traced !== undefined }),
    ...(traced && { interceptors: traced.interceptors }),
    activities: temporalActivities(options.activities),
    // The activity wrapper heartbeats every second so that a cancellation reaches a running
    // activity promptly (Temporal delivers it in a heartbeat's answer); the SDK's default would hold them 30 s.
    defaultHeartbeatThrottleInterval: '1s',
    // The run record is rebuilt by replaying a history (history.ts); a live worker keeps no copy.
    // Revo's metric facts leave the sandbox here; sinks are not called on replay, so nothing counts twice.
    sinks: { [HISTORY_SINK]: { event: { fn: () => {} } }, [METRICS_SINK]: { fact: { fn: (_info, fact: MetricFact) => revoMetrics.record(fact) } }, ...traced?.sinks },
  });
}

/**
 * The SDK's OpenTelemetry interceptors: RunActivity spans around activities (the workflow's
 * RunWorkflow and StartActivity spans come from the traced bundle), and the sink through
 * which the sandbox's spans reach the exporter.
 */
async function tracedWorkerOptions(tracing: Tracing): Promise<Pick<WorkerOptions, 'interceptors' | 'sinks'>> {
  const { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, makeWorkflowExporter } = await import('@temporalio/interceptors-opentelemetry');
  return {
    interceptors: { activity: [(context) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(context), outbound: new OpenTelemetryActivityOutboundInterceptor(context) })] },
    sinks: { exporter: makeWorkflowExporter(tracing.workflowSpans, tracing.resource as Resource) },
  };
}
