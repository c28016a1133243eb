/**
 * Evaluating expressions and templates (docs/dsl.md#expressions-and-templates) against a scope. JSON Logic is
 * json-logic-js, hardened: `method` and `log` are removed, and `var` reads only own
 * properties and refuses the segments that reach prototypes, for paths computed at
 * run time too.
 */
import jsonLogic from 'json-logic-js';
import { WorkflowError } from './errors.js';
import { expressionOperation, FORBIDDEN_OPERATIONS, FORBIDDEN_SEGMENTS, isLiteral } from './expression-syntax.js';
import type { Json } from './model.js';

/** The scope expressions read: the run's variables plus `input` and `workflow`. */
export type Scope = Record<string, Json>;

for (const op of FORBIDDEN_OPERATIONS) jsonLogic.rm_operation(op);

const hasOwn = Object.prototype.hasOwnProperty;

/** `{ var: path }` (and `missing`, which calls it): own properties only, no prototype segments. */
function safeVar(this: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === null || path === '') return this;
  const segments = String(path).split('.');
  const forbidden = segments.find((segment) => FORBIDDEN_SEGMENTS.has(segment));
  if (forbidden !== undefined) throw new WorkflowError('ExpressionError', `the variable path "${String(path)}" uses the forbidden segment "${forbidden}"`);
  let data: unknown = this;
  for (const segment of segments) {
    if (data === null || data === undefined) return notFound;
    if (typeof data === 'object') data = hasOwn.call(data, segment) ? (data as Record<string, unknown>)[segment] : undefined;
    else if (typeof data === 'string') data = segment === 'length' ? data.length : /^\d+$/.test(segment) ? data[Number(segment)] : undefined;
    else data = undefined;
    if (data === undefined) return notFound;
  }
  return data;
}
jsonLogic.add_operation('var', safeVar);

function expressionError(error: unknown, step: string | undefined, what: string): WorkflowError {
  const message = error instanceof Error ? error.message : String(error);
  return new WorkflowError('ExpressionError', `${what}${step ? ` in step "${step}"` : ''}: ${message}`, { step, nonRetryable: true });
}

/** Evaluates a JSON Logic expression; any failure becomes an ExpressionError naming the step. */
export function evaluate(expression: Json, scope: Scope, step?: string): Json {
  try {
    const value = jsonLogic.apply(expression as never, scope) as Json | undefined;
    // JSON has no undefined, NaN or Infinity: give every engine and the journal the same value.
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return null;
    return value;
  } catch (error) {
    throw expressionError(error, step, 'cannot evaluate expression');
  }
}

/** JSON Logic truthiness (`[]` is falsy, `"0"` is truthy). */
export function truthy(value: Json): boolean {
  return jsonLogic.truthy(value);
}

/**
 * Renders a template: a one-key object naming an operation is evaluated, `$literal`
 * yields its value unevaluated, other objects and arrays are walked, scalars are kept.
 */
export function render(template: Json | undefined, scope: Scope, step?: string): Json {
  if (template === undefined) return null;
  if (template === null || typeof template !== 'object') return template;
  if (Array.isArray(template)) return template.map((item) => render(item, scope, step));
  if (expressionOperation(template) !== undefined) return evaluate(template, scope, step);
  if (isLiteral(template)) return template.$literal;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(template)) {
    const value = render(template[key], scope, step);
    // A key named __proto__ would set the prototype with plain assignment.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
