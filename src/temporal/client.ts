/**
 * Starting and following Revo runs on Temporal. The user-facing run id of a
 * Temporal run is its workflow id: it stays the same across continue-as-new.
 */
import { randomInt } from 'node:crypto';
import { WorkflowFailedError, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { ErrorInfo, HistoryEvent, TriggerInfo } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import { effectiveOptions, startPriority, type EffectivePriority } from '../../interpreter/options.js';
import { walkSteps } from '../../interpreter/walk.js';
import { temporalPriority } from '../sandboxed/workflow/activity-options.js';
import { EVENTS_QUERY, WORKFLOW_REVISION, WORKFLOW_TYPE, type EventsPage, type HandedOverRun, type RevoWorkflowInput } from '../sandboxed/workflow/contract.js';
import type { TemporalSettings } from './connection.js';
import { errorInfoOf } from '../sandboxed/failures.js';
import { memoOf } from '../sandboxed/run-start.js';
import { runSummary, startSearchAttributes } from '../sandboxed/visibility.js';
import { searchAttributesRegistered } from './search-attributes.js';
import type { ReusePlan } from '../sandboxed/reuse.js';

export interface StartRequest {
  bundle: WorkflowBundle;
  input: Json;
  trigger: TriggerInfo;
  workflowId?: string;
  /** Continue-as-new after this many history events (tests force it low). */
  continueAfterEvents?: number;
  /** The local journal of a run handed over to Temporal (its id is the local run id). */
  handedOver?: HandedOverRun;
  /** A re-run from a step: the steps answered from the recorded run. */
  reuse?: ReusePlan;
  /** The starter's priority (`--priority`, `Revo.start`): over the definition's own, field by field (docs/dsl.md#priority). */
  priority?: EffectivePriority;
}

/** `<name>-<yyyymmdd-hhmmss>-<4 chars>`, like local run ids: sortable and readable. */
export function newWorkflowId(workflow: string, now: Date = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += randomInt(36).toString(36);
  return `${workflow}-${stamp}-${suffix}`;
}

export function workflowArgument(request: StartRequest): RevoWorkflowInput {
  return {
    revision: WORKFLOW_REVISION,
    bundle: request.bundle,
    input: request.input,
    trigger: request.trigger,
    ...(request.continueAfterEvents !== undefined && { continueAfterEvents: request.continueAfterEvents }),
    ...(request.handedOver && { handedOver: request.handedOver }),
    ...(request.reuse && { reuse: request.reuse }),
  };
}

export async function startRun(client: Client, settings: TemporalSettings, request: StartRequest): Promise<WorkflowHandleWithFirstExecutionRunId> {
  // Set only where the namespace has them: a run never fails for their lack.
  const searchable = await searchAttributesRegistered(client);
  const priority = startPriority(request.bundle.definition, request.input, request.priority);
  return client.workflow.start(WORKFLOW_TYPE, {
    staticSummary: runSummary(request.bundle),
    ...(searchable && { typedSearchAttributes: startSearchAttributes(request.bundle) }),
    taskQueue: settings.taskQueue,
    workflowId: request.workflowId ?? newWorkflowId(request.bundle.definition.name),
    args: [workflowArgument(request)],
    memo: memoOf(request.bundle) as unknown as Record<string, unknown>,
    // A hand-over is started at most once per run id, even when a crash makes it start again.
    ...(request.handedOver && { workflowIdReusePolicy: 'REJECT_DUPLICATE' as const }),
    ...(priority && { priority: temporalPriority(priority) }),
  });
}

/** Waits for the run's end (across continue-as-new) and reads it as the interpreter's outcome. */
export async function runOutcome(handle: WorkflowHandle): Promise<RunOutcome> {
  try {
    return { status: 'completed', output: ((await handle.result()) ?? null) as Json };
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const error = errorInfoOf(err.cause);
    return { status: err.cause instanceof CancelledFailure ? 'cancelled' : 'failed', error };
  }
}


/**
 * Polls the run's events while it runs (the live progress of `revo run`), calling
 * `onEvent` for each new one in order, from event `from` on; stops when `stopped()` says so.
 */
export async function followEvents(handle: WorkflowHandle, onEvent: (event: HistoryEvent) => void, stopped: () => boolean, from = 0, everyMs = 250): Promise<void> {
  let runId: string | undefined;
  let next = from;
  while (!stopped()) {
    try {
      const page = await handle.query<EventsPage, [number]>(EVENTS_QUERY, next);
      if (page.runId !== runId) {
        // A new run after continue-as-new: its events start again from 0.
        if (runId !== undefined && next !== 0) {
          runId = page.runId;
          next = 0;
          continue;
        }
        runId = page.runId;
      }
      for (const event of page.events) onEvent(event);
      next = page.next;
    } catch {
      // No worker has picked the run up yet, or it just ended: try again shortly.
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The argument a run was started with (its definition and input), read from the first history event. */
export async function startArgument(client: Client, workflowId: string): Promise<RevoWorkflowInput> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`the history of ${workflowId} does not start with its argument`);
  return client.options.loadedDataConverter.payloadConverter.fromPayload<RevoWorkflowInput>(payload);
}

/** Whether some worker polls the task queue for workflow (or activity) tasks (a run, or a call, waits silently until one does). */
export async function hasWorkers(client: Client, taskQueue: string, tasks: 'workflow' | 'activity' = 'workflow'): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: tasks === 'workflow' ? 1 : 2, // TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY
  });
  return (pollers?.length ?? 0) > 0;
}

/** The task queues other than the run's own that calls of `bundle` (children included) are routed to, with their activities. */
export function routedQueues(bundle: WorkflowBundle, ownQueue: string, into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const { step } of walkSteps(bundle.definition.steps)) {
    if (!('call' in step) || step.local === true) continue;
    const queue = effectiveOptions(bundle.definition, step, bundle.activityDefaults[step.call]).taskQueue;
    if (queue === undefined || queue === ownQueue) continue;
    if (!into.has(queue)) into.set(queue, new Set());
    into.get(queue)!.add(step.call);
  }
  for (const child of Object.values(bundle.children)) routedQueues(child, ownQueue, into);
  return into;
}
