/**
 * The four WorkflowService calls a signal needs — describe the run, ask whether a worker
 * polls its queue, the signal as an Update, the signal itself — made over GrpcChannel
 * with the messages of generated/descriptor.ts (scripts/wire-descriptor.js cuts them out
 * of @temporalio/proto's descriptor). Neither the SDK nor @grpc/grpc-js is loaded, which
 * is most of what a `revo signal` to Temporal used to cost (docs/temporal.md#how-revo-signal-talks-to-temporal).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import protobuf from 'protobufjs/light.js';
import type { Json } from '../../../interpreter/model.js';
import { UsageError } from '../../errors.js';
import type { TemporalSettings } from '../settings.js';
import { DESCRIPTOR, WORKFLOW_SERVICE } from './generated/descriptor.js';
import { GRPC, GrpcChannel, GrpcError } from './grpc.js';
import { decodePayload, encodePayload, type Payload } from './payloads.js';

const root = protobuf.Root.fromJSON(DESCRIPTOR as protobuf.INamespace);
const enums = {
  status: root.lookupEnum('temporal.api.enums.v1.WorkflowExecutionStatus'),
  stage: root.lookupEnum('temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage'),
  taskQueueType: root.lookupEnum('temporal.api.enums.v1.TaskQueueType'),
  taskQueueKind: root.lookupEnum('temporal.api.enums.v1.TaskQueueKind'),
};
const COMPLETED = enums.stage.values.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED!;

/** How long one call may take; an Update that is not done by then is asked again (the server answers with its stage). */
const CALL_DEADLINE_MS = 10_000;
const UPDATE_DEADLINE_MS = 30_000;

/** The names the SDK gives a run's status (its workflowStatusCodeToName), so both paths read alike. */
function statusName(code: number): string {
  const name = enums.status.valuesById[code]?.replace(/^WORKFLOW_EXECUTION_STATUS_/, '');
  if (name === undefined) return 'UNKNOWN';
  return name === 'CANCELED' ? 'CANCELLED' : name;
}

export interface WireDescription {
  /** RUNNING, COMPLETED, CANCELLED, … as the SDK names them. */
  status: string;
  taskQueue: string;
  firstExecutionRunId: string;
  /** The workflow's name: the run's memo says it; its Temporal type otherwise. */
  workflow: string;
}

/** How an Update ended: done, or refused with the failure the workflow raised. */
export type UpdateOutcome = { ok: true } | { ok: false; type: string | undefined; message: string };

interface DecodedFailure {
  message?: string;
  applicationFailureInfo?: { type?: string } | null;
}

export class TemporalWire {
  private readonly identity = `${process.pid}@${hostname()}`;

  constructor(
    private readonly settings: TemporalSettings,
    private readonly channel: GrpcChannel = GrpcChannel.forTemporal(settings),
  ) {
    // The handshake goes on while the caller loads the rest of what it needs.
    channel.connect();
  }

  private async call<R>(method: string, request: Record<string, unknown>, deadlineMs = CALL_DEADLINE_MS): Promise<R> {
    const service = root.lookupService(WORKFLOW_SERVICE);
    const rpc = service.methods[method]!;
    const requestType = root.lookupType(rpc.requestType);
    const responseType = root.lookupType(rpc.responseType);
    const bytes = await this.channel.unary(`/${WORKFLOW_SERVICE}/${method}`, requestType.encode(requestType.fromObject(request)).finish(), { deadlineMs });
    return responseType.decode(bytes) as unknown as R;
  }

  /** The run's status and queue; a UsageError in the words of the SDK path when Temporal has no such run. */
  async describe(workflowId: string): Promise<WireDescription> {
    type Response = {
      workflowExecutionInfo?: {
        execution?: { runId?: string };
        type?: { name?: string };
        status?: number;
        taskQueue?: string;
        memo?: { fields?: Record<string, Payload> };
        firstRunId?: string;
      };
    };
    let response: Response;
    try {
      response = await this.call<Response>('DescribeWorkflowExecution', { namespace: this.settings.namespace, execution: { workflowId } });
    } catch (error) {
      if (error instanceof GrpcError && error.code === GRPC.NOT_FOUND) {
        throw new UsageError(`no run "${workflowId}" on Temporal (namespace ${this.settings.namespace}), nor a local run by that id; \`revo runs\` lists them`);
      }
      throw error;
    }
    const info = response.workflowExecutionInfo ?? {};
    const memoWorkflow = info.memo?.fields?.workflow;
    const named = memoWorkflow ? (decodePayload(memoWorkflow) as Json) : undefined;
    return {
      status: statusName(info.status ?? 0),
      taskQueue: info.taskQueue ?? '',
      firstExecutionRunId: info.firstRunId || (info.execution?.runId ?? ''),
      workflow: typeof named === 'string' ? named : (info.type?.name ?? workflowId),
    };
  }

  /** Whether some worker polls `taskQueue` for workflow tasks (an Update would wait silently until one does). */
  async hasWorkers(taskQueue: string): Promise<boolean> {
    const { pollers } = await this.call<{ pollers?: unknown[] }>('DescribeTaskQueue', {
      namespace: this.settings.namespace,
      taskQueue: { name: taskQueue, kind: enums.taskQueueKind.values.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: enums.taskQueueType.values.TASK_QUEUE_TYPE_WORKFLOW,
    });
    return (pollers?.length ?? 0) > 0;
  }

  /**
   * The Update `name` with `payload`, waited for until the run has handled it. Sent again
   * with the same `updateId` while the server says it is not done yet: the server takes
   * an update id once, so a repeat only asks how it went.
   */
  async executeUpdate(workflowId: string, name: string, payload: Json, updateId: string): Promise<UpdateOutcome> {
    type Response = { stage?: number; outcome?: { success?: unknown; failure?: DecodedFailure } | null };
    const request = {
      namespace: this.settings.namespace,
      workflowExecution: { workflowId },
      waitPolicy: { lifecycleStage: COMPLETED },
      request: { meta: { updateId, identity: this.identity }, input: { name, args: { payloads: [encodePayload(payload)] } } },
    };
    for (;;) {
      let response: Response;
      try {
        response = await this.call<Response>('UpdateWorkflowExecution', request, UPDATE_DEADLINE_MS);
      } catch (error) {
        // A worker slower than one call's deadline: ask again, as for a stage below COMPLETED (the SDK, too, waits as long as it takes).
        if (error instanceof GrpcError && error.code === GRPC.DEADLINE_EXCEEDED) continue;
        throw error;
      }
      const failure = response.outcome?.failure;
      if (failure) return { ok: false, type: failure.applicationFailureInfo?.type || undefined, message: failure.message ?? '' };
      if (response.outcome || (response.stage ?? 0) >= COMPLETED) return { ok: true };
    }
  }

  /** A plain signal: Temporal keeps it until a worker takes it. */
  async signal(workflowId: string, name: string, payload: Json): Promise<void> {
    await this.call('SignalWorkflowExecution', {
      namespace: this.settings.namespace,
      workflowExecution: { workflowId },
      signalName: name,
      input: { payloads: [encodePayload(payload)] },
      identity: this.identity,
      requestId: randomUUID(),
    });
  }

  close(): void {
    this.channel.close();
  }
}
