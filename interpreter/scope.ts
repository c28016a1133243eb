/** The run's variables (docs/dsl.md#variables-and-scope). */
import { WorkflowError } from './errors.js';
import { FORBIDDEN_SEGMENTS } from './expression-syntax.js';
import type { Scope } from './expressions.js';
import { RESERVED_VARIABLES, type Json } from './model.js';

export type { Scope };

const NOT_VARIABLES = new Set<string>(['input', 'workflow']);

/** A new scope; null-prototype, so no variable name can reach Object.prototype. */
export function createScope(values: Record<string, Json>): Scope {
  return Object.assign(Object.create(null) as Scope, values);
}

/** A shallow copy: values are never mutated in place, so sharing them is safe. */
export function copyScope(scope: Scope): Scope {
  return Object.assign(Object.create(null) as Scope, scope);
}

/** Assigns a variable by `set` or `result`, refusing the reserved names (the validator reports them first). */
export function assign(scope: Scope, name: string, value: Json, step: string): void {
  if ((RESERVED_VARIABLES as readonly string[]).includes(name) || FORBIDDEN_SEGMENTS.has(name)) {
    throw new WorkflowError('ExpressionError', `step "${step}" may not assign the variable "${name}"`, { step, nonRetryable: true });
  }
  scope[name] = value;
}

/** The variables a branch changed or added compared with the scope it started from. */
export function changes(before: Scope, after: Scope): [string, Json][] {
  const out: [string, Json][] = [];
  for (const name of Object.keys(after)) if (after[name] !== before[name] || !(name in before)) out.push([name, after[name]!]);
  return out;
}

/** The run's variables without `input` and `workflow`: the default output and the `state` query's view. */
export function variables(scope: Scope): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const name of Object.keys(scope)) if (!NOT_VARIABLES.has(name)) out[name] = scope[name]!;
  return out;
}
