/**
 * What counts as an expression inside a template, and which variables it reads.
 * Shared by the validator (static checks) and the interpreter (evaluation).
 */
import type { Json } from './model.js';

/** JSON Logic operations available in expressions (json-logic-js, minus the impure ones). */
export const OPERATIONS: ReadonlySet<string> = new Set([
  'var', 'missing', 'missing_some',
  'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '>', '>=', '<', '<=',
  'max', 'min', '+', '-', '*', '/', '%',
  'map', 'reduce', 'filter', 'all', 'none', 'some', 'merge', 'in',
  'cat', 'substr',
]);

/** json-logic-js operations that reach outside the pure data model: `method` calls host methods, `log` prints. */
export const FORBIDDEN_OPERATIONS: ReadonlySet<string> = new Set(['method', 'log']);

/** `var` path segments refused everywhere (they could reach object prototypes). */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);

/** Operations whose later arguments are evaluated per element, against the element, not the scope. */
export const ELEMENT_SCOPED_OPERATIONS: ReadonlySet<string> = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);

export const LITERAL_KEY = '$literal';

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The single key of a one-key object, else undefined. */
export function soleKey(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  let only: string | undefined;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
}

/** An object with exactly one key that is an operation: it is evaluated, not copied. */
export function expressionOperation(value: unknown): string | undefined {
  const key = soleKey(value);
  return key !== undefined && (OPERATIONS.has(key) || FORBIDDEN_OPERATIONS.has(key)) ? key : undefined;
}

export function isLiteral(value: unknown): value is { $literal: Json } {
  return soleKey(value) === LITERAL_KEY;
}

/** Normalized arguments of an operation: JSON Logic allows a lone argument without brackets. */
export function operationArgs(expression: Record<string, Json>, op: string): Json[] {
  const args = expression[op];
  return Array.isArray(args) ? args : [args as Json];
}

export type PathSegment = string | number;

export interface VarReference {
  /** The dotted path as written, e.g. `input.amount`; '' for the whole scope. */
  name: string;
  /** Split path segments. */
  segments: string[];
  /** Where in the template the `var` operation stands, relative to the template. */
  at: PathSegment[];
}

/**
 * Every `var` a template (or expression) reads from the scope, with its location.
 * `$literal` values are skipped, and so are the per-element arguments of `map`,
 * `filter`, `reduce`, `all`, `none` and `some`, whose `var`s name the element.
 * Dynamic paths (`{ var: { cat: … } }`) are reported by what they read, not as a name.
 */
export function varReferences(template: Json, at: PathSegment[] = []): VarReference[] {
  const out: VarReference[] = [];
  collect(template, at, out);
  return out;
}

function collect(value: Json, at: PathSegment[], out: VarReference[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, [...at, i], out));
    return;
  }
  if (!isRecord(value)) return;
  if (isLiteral(value)) return;
  const op = expressionOperation(value);
  if (op === undefined) {
    for (const key of Object.keys(value)) collect(value[key]!, [...at, key], out);
    return;
  }
  const args = operationArgs(value, op);
  const argsAt = Array.isArray(value[op]) ? (i: number) => [...at, op, i] : () => [...at, op];
  if (op === 'var') {
    const path = args[0];
    if (typeof path === 'string' || typeof path === 'number') {
      const name = String(path);
      out.push({ name, segments: name === '' ? [] : name.split('.'), at: [...at] });
    } else if (path !== undefined && path !== null) {
      collect(path, argsAt(0), out);
    }
    if (args.length > 1) collect(args[1]!, argsAt(1), out);
    return;
  }
  if (ELEMENT_SCOPED_OPERATIONS.has(op)) {
    if (args[0] !== undefined) collect(args[0], argsAt(0), out);
    if (op === 'reduce' && args[2] !== undefined) collect(args[2], argsAt(2), out);
    return;
  }
  args.forEach((arg, i) => collect(arg, argsAt(i), out));
}
