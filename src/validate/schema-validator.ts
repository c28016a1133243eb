/**
 * The compiled forms of schema/workflow.schema.json, each built once per process
 * on first use:
 * - `quickValidator()`: yes/no, stops at the first error. The ahead-of-time
 *   compiled module when it matches the schema file, else compiled here.
 * - `explainer()`: every error with its schema (ajv `allErrors` + `verbose`), plus
 *   one validator per step kind, used only to explain an invalid file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, AnySchemaObject, ErrorObject } from 'ajv';
import type { StepKind } from '../../interpreter/model.js';
import { SCHEMA_PATH } from '../paths.js';
import { SCHEMA_SHA256, validate as precompiled } from './generated/workflow-validator.js';
import { EXPLAIN_OPTIONS, QUICK_OPTIONS } from './schema-options.js';

export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The definition in the schema that describes each step kind. */
export const KIND_DEFINITIONS: Record<StepKind, string> = {
  call: 'CallStep',
  set: 'SetStep',
  switch: 'SwitchStep',
  parallel: 'ParallelStep',
  foreach: 'ForeachStep',
  while: 'WhileStep',
  sleep: 'SleepStep',
  wait: 'WaitStep',
  child: 'ChildStep',
  try: 'TryStep',
  fail: 'FailStep',
  return: 'ReturnStep',
};

/** ajv itself is loaded only when needed (a stale precompiled module, or a file to explain): it is slow to load. */
function loadAjv(): typeof AjvClass {
  return (createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass }).Ajv;
}

let schemaText: string | undefined;
let schemaObject: AnySchemaObject | undefined;

/** The schema file's text, read once. */
export function workflowSchemaText(): string {
  return (schemaText ??= readFileSync(SCHEMA_PATH, 'utf8'));
}

/** The schema as an object, parsed once. */
export function workflowSchema(): AnySchemaObject {
  return (schemaObject ??= JSON.parse(workflowSchemaText()) as AnySchemaObject);
}

let quick: Validator | undefined;

export function quickValidator(): Validator {
  if (quick) return quick;
  const fresh = createHash('sha256').update(workflowSchemaText()).digest('hex') === SCHEMA_SHA256;
  quick = fresh ? (precompiled as Validator) : new (loadAjv())({ ...QUICK_OPTIONS }).compile(workflowSchema());
  return quick;
}

export interface Explainer {
  /** The whole-definition validator. */
  root: Validator;
  /** The validator of one step kind's definition. */
  kind(kind: StepKind): Validator;
}

let explaining: Explainer | undefined;

export function explainer(): Explainer {
  if (explaining) return explaining;
  const ajv = new (loadAjv())({ ...EXPLAIN_OPTIONS });
  const schema = workflowSchema();
  const id = schema.$id as string;
  ajv.addSchema(schema);
  const kinds = new Map<StepKind, Validator>();
  const get = (ref: string): Validator => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`the workflow schema has no ${ref}`);
    return validate;
  };
  explaining = {
    root: get(id),
    kind(kind) {
      let validate = kinds.get(kind);
      if (!validate) kinds.set(kind, (validate = get(`${id}#/definitions/${KIND_DEFINITIONS[kind]}`)));
      return validate;
    },
  };
  return explaining;
}
