/**
 * A Revo worker: the one workflow type plus every typed activity, on one task queue.
 * Add workers (on any machine) to scale; each picks up workflow and activity tasks.
 */
import { Worker, type NativeConnection } from '@temporalio/worker';
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
}

export function createWorker(options: RevoWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity && { identity: options.identity }),
    ...(options.shutdownGraceMs !== undefined && { shutdownGraceTime: options.shutdownGraceMs }),
    workflowBundle: workflowBundle(),
    activities: temporalActivities(options.activities),
    // The activity wrapper heartbeats every second so that a cancellation reaches a running
    // activity promptly (Temporal delivers it in a heartbeat's answer); the SDK's default would hold them 30 s.
    defaultHeartbeatThrottleInterval: '1s',
    // The run record is rebuilt by replaying a history (history.ts); a live worker keeps no copy.
    // Revo's metric facts leave the sandbox here; sinks are not called on replay, so nothing counts twice.
    sinks: { [HISTORY_SINK]: { event: { fn: () => {} } }, [METRICS_SINK]: { fact: { fn: (_info, fact: MetricFact) => revoMetrics.record(fact) } } },
  });
}
