/**
 * Revo's runs on Temporal, from its visibility API (`revo runs`, Revo.listRuns): the
 * runs of the `revo` workflow type, newest first, read as run summaries. Filters that
 * visibility can answer go into the query; the rest are applied to each row.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { RunFilter, RunSummary } from '../api/list-runs.js';
import type { RevoMemo } from '../sandboxed/run-start.js';
import { REVO_ERROR_TYPE } from '../sandboxed/visibility.js';
import { WORKFLOW_TYPE } from '../sandboxed/workflow/contract.js';
import { between, type DisplayStatus } from '../text.js';

/** How many executions one listing reads at most (visibility is paged; a list is a look, not an export; the archive reads them all). */
const MOST_READ = 1_000;

export async function listTemporalRuns(client: Client, filter: RunFilter, limit: number, keep: (row: RunSummary) => boolean, mostRead = MOST_READ): Promise<{ rows: RunSummary[]; more: number }> {
  const rows: RunSummary[] = [];
  const seen = new Set<string>();
  let more = 0;
  let read = 0;
  for await (const execution of client.workflow.list({ query: visibilityQuery(filter) })) {
    if (++read > mostRead) break;
    // Continue-as-new makes one execution per part: the newest stands for the run.
    if (seen.has(execution.workflowId)) continue;
    seen.add(execution.workflowId);
    const row = summaryOf(execution);
    if (filter.search !== undefined && !row.runId.toLowerCase().includes(filter.search.toLowerCase()) && !row.workflow.toLowerCase().includes(filter.search.toLowerCase())) continue;
    if (!keep(row)) continue;
    if (rows.length >= limit) {
      more = 1;
      break;
    }
    rows.push(row);
  }
  return { rows, more };
}

/** The visibility query: Revo's workflow type, and the time window when one is given. */
function visibilityQuery(filter: RunFilter): string {
  const clauses = [`WorkflowType = "${WORKFLOW_TYPE}"`];
  if (filter.since) clauses.push(`StartTime >= "${filter.since.toISOString()}"`);
  if (filter.until) clauses.push(`StartTime < "${filter.until.toISOString()}"`);
  return clauses.join(' AND ');
}

const STATUS: Record<string, DisplayStatus> = {
  RUNNING: 'running',
  CONTINUED_AS_NEW: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  TERMINATED: 'failed',
  TIMED_OUT: 'failed',
  CANCELLED: 'cancelled',
};

function summaryOf(execution: WorkflowExecutionInfo): RunSummary {
  const memo = (execution.memo ?? {}) as Partial<RevoMemo>;
  const startedAt = execution.startTime.toISOString();
  const endedAt = execution.closeTime?.toISOString();
  const status = STATUS[execution.status.name] ?? 'running';
  const durationMs = between(startedAt, endedAt ?? (status === 'running' ? new Date().toISOString() : undefined));
  const errorType = execution.typedSearchAttributes.get(REVO_ERROR_TYPE);
  return {
    runId: execution.workflowId,
    workflow: memo.workflow ?? execution.workflowId,
    ...(memo.version !== undefined && { version: memo.version }),
    status,
    engine: 'temporal',
    startedAt,
    ...(endedAt !== undefined && { endedAt }),
    ...(durationMs !== undefined && { durationMs }),
    ...(errorType !== undefined && { errorType }),
    ...(execution.parentExecution?.workflowId && { parent: execution.parentExecution.workflowId }),
  };
}
