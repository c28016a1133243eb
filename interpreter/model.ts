/**
 * The definition model: a workflow definition as plain JSON, exactly as docs/dsl.md
 * describes it. The loader produces it, the validator checks it, the interpreter
 * walks it, and schema/workflow.schema.json describes the same shape (a test keeps
 * the two in agreement).
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON Logic expression, evaluated against the scope. */
export type Expression = Json;

/** Any YAML value in which JSON Logic expressions are evaluated (see docs/dsl.md#expressions-and-templates). */
export type Template = Json;

/** `<integer><unit>` parts with units ms, s, m, h, d: `500ms`, `1h30m`. */
export type Duration = string;

/** A JSON Schema (draft-07) document, kept as plain JSON. */
export type JsonSchema = { [key: string]: Json } | boolean;

export interface RetryPolicy {
  maxAttempts?: number;
  initialInterval?: Duration;
  backoff?: number;
  maxInterval?: Duration;
  maxElapsed?: Duration;
  nonRetryable?: string[];
  retryOn?: string[];
}

/** Options of a call: on a step, under `activities:`, under `defaults:`. */
export interface CallOptions {
  timeout?: Duration;
  heartbeat?: Duration;
  retry?: RetryPolicy;
  taskQueue?: TaskQueue;
}

/** A Temporal task queue name (docs/dsl.md#routing). */
export type TaskQueue = string;

/** Temporal task priority and fairness (docs/dsl.md#priority); each field overrides the more general level's. */
export interface Priority {
  /** 1 (first) to 5 (last). */
  key?: number;
  /** Renders to a string. */
  fairnessKey?: Template;
  fairnessWeight?: number;
}

export interface SignalDeclaration {
  description?: string;
  schema?: JsonSchema;
}

export interface Schedule {
  cron?: string;
  every?: Duration;
  input?: Json;
}

export interface WorkflowDefinition {
  revo: 1;
  name: string;
  version?: string;
  description?: string;
  input?: JsonSchema;
  output?: Template;
  timeout?: Duration;
  priority?: Priority;
  defaults?: CallOptions;
  activities?: { [pattern: string]: CallOptions };
  signals?: { [name: string]: SignalDeclaration };
  queries?: { [name: string]: Template };
  schedule?: Schedule;
  steps: Step[];
}

/** Fields every step has. */
export interface StepBase {
  id: string;
  name?: string;
  when?: Expression;
}

export interface CallStep extends StepBase {
  call: string;
  with?: Template;
  result?: string;
  timeout?: Duration;
  heartbeat?: Duration;
  retry?: RetryPolicy;
  taskQueue?: TaskQueue;
  priority?: Priority;
  local?: boolean;
  compensate?: Step[];
}

export interface SetStep extends StepBase {
  set: { [variable: string]: Template };
}

export interface SwitchCase {
  when: Expression;
  steps: Step[];
}

export interface SwitchStep extends StepBase {
  switch: SwitchCase[];
  default?: Step[];
}

export interface ParallelBranch {
  id: string;
  steps: Step[];
}

export interface ParallelStep extends StepBase {
  parallel: ParallelBranch[];
  failFast?: boolean;
}

export interface ForeachStep extends StepBase {
  foreach: Expression;
  as?: string;
  index?: string;
  concurrency?: number;
  steps: Step[];
  collect?: Template;
  result?: string;
}

export interface WhileStep extends StepBase {
  while: Expression;
  maxIterations?: number;
  steps: Step[];
}

export interface SleepStep extends StepBase {
  sleep: Duration | Expression;
}

export interface WaitStep extends StepBase {
  wait: { signal: string; timeout?: Duration };
  result?: string;
}

export interface ChildStep extends StepBase {
  child: { workflow: string; input?: Template; workflowId?: Template; wait?: boolean };
  priority?: Priority;
  result?: string;
}

export interface CatchClause {
  errors?: string[];
  as?: string;
  steps: Step[];
}

export interface TryStep extends StepBase {
  try: Step[];
  catch?: CatchClause[];
  finally?: Step[];
}

export interface FailStep extends StepBase {
  fail: { type: string; message?: Template; details?: Template };
}

export interface ReturnStep extends StepBase {
  return: Template;
}

export type Step =
  | CallStep
  | SetStep
  | SwitchStep
  | ParallelStep
  | ForeachStep
  | WhileStep
  | SleepStep
  | WaitStep
  | ChildStep
  | TryStep
  | FailStep
  | ReturnStep;

/** The key that names a step's kind; exactly one is present on every step. */
export const STEP_KINDS = [
  'call',
  'set',
  'switch',
  'parallel',
  'foreach',
  'while',
  'sleep',
  'wait',
  'child',
  'try',
  'fail',
  'return',
] as const;

export type StepKind = (typeof STEP_KINDS)[number];

/** Variables no `set` or `result` may assign. */
export const RESERVED_VARIABLES = ['input', 'workflow', 'error'] as const;

/** The kind of a (schema-valid) step. */
export function stepKind(step: Step): StepKind {
  for (const kind of STEP_KINDS) if (kind in step) return kind;
  throw new Error(`step ${(step as StepBase).id} has no kind`);
}
