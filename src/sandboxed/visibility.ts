/**
 * How a Revo run reads in Temporal's own tools (the Web UI, `temporal workflow list`):
 * search attributes naming the definition, a static summary (`order-fulfilment 1.4.0`)
 * and, per activity, a summary with its step id (docs/temporal.md#finding-runs-in-temporal).
 * Sandbox-safe: the workflow sets them on children and on failure.
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { WorkflowBundle } from '../../interpreter/bundle.js';

export const REVO_WORKFLOW = defineSearchAttributeKey('RevoWorkflow', SearchAttributeType.KEYWORD);
export const REVO_VERSION = defineSearchAttributeKey('RevoVersion', SearchAttributeType.KEYWORD);
export const REVO_HASH = defineSearchAttributeKey('RevoHash', SearchAttributeType.KEYWORD);
export const REVO_ERROR_TYPE = defineSearchAttributeKey('RevoErrorType', SearchAttributeType.KEYWORD);

/** Every search attribute Revo uses: a namespace must have them for Revo to set them. */
export const REVO_SEARCH_ATTRIBUTES = [REVO_WORKFLOW, REVO_VERSION, REVO_HASH, REVO_ERROR_TYPE] as const;

/** The attributes a run carries from its start. */
export function startSearchAttributes(bundle: WorkflowBundle): SearchAttributePair[] {
  const { definition, hash } = bundle;
  return [
    { key: REVO_WORKFLOW, value: definition.name },
    ...(definition.version !== undefined ? [{ key: REVO_VERSION, value: definition.version }] : []),
    { key: REVO_HASH, value: hash },
  ];
}

/** The run's summary in the Temporal UI: the definition's name and version. */
export function runSummary(bundle: WorkflowBundle): string {
  const { definition } = bundle;
  return definition.version === undefined ? definition.name : `${definition.name} ${definition.version}`;
}

/** An activity's summary in the Temporal UI: the step that calls it. */
export function activitySummary(step: string): string {
  return `step ${step}`;
}
