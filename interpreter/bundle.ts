import type { CallOptions, Json, JsonSchema, WorkflowDefinition } from './model.js';

/**
 * Everything a run needs, by value (docs/architecture.md: the definition travels as the
 * workflow argument). Built outside the interpreter by the loader, which resolves
 * child references and reads the activities' own default options.
 */
export interface WorkflowBundle {
  definition: WorkflowDefinition;
  /** `sha256:…` of the source text: shown in history and memo, checked on resume. */
  hash: string;
  /** The definitions `child.workflow` references name, keyed by the reference as written. */
  children: { [reference: string]: WorkflowBundle };
  /** Option level 5 of docs/dsl.md#errors-timeouts-and-retries: each called activity's own defaults. */
  activityDefaults: { [activity: string]: CallOptions };
  /**
   * The called activities that are implemented outside Revo (`"external": true` in the
   * catalog, docs/dsl.md#routing): the workflow checks their input and output itself.
   * Absent: none.
   */
  external?: { [activity: string]: ExternalActivity };
}

/** An activity served by a worker in another language, as its catalog entry describes it. */
export interface ExternalActivity {
  taskQueue: string;
  input: JsonSchema;
  output: JsonSchema;
}

/** What starts a run. */
export interface RunRequest {
  bundle: WorkflowBundle;
  input: Json;
}
