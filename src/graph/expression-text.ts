/**
 * JSON Logic as short infix text for labels and review output:
 * `{ ">": [{ var: input.amount }, 100] }` reads `input.amount > 100`.
 * It is for people, not for evaluation: long text is cut with `…`.
 */
import type { Json } from '../../interpreter/model.js';
import { expressionOperation, isLiteral, operationArgs } from '../../interpreter/expression-syntax.js';
import { truncate } from '../text.js';

/** Operations written between their arguments. */
const INFIX: ReadonlySet<string> = new Set(['==', '===', '!=', '!==', '>', '>=', '<', '<=', '+', '-', '*', '/', '%', 'in', 'and', 'or']);

/** The default length of a label's expression, long enough for one comparison of two paths. */
export const EXPRESSION_TEXT_MAX = 48;

export function expressionText(expression: Json, max: number = EXPRESSION_TEXT_MAX): string {
  return truncate(render(expression).replace(/\s+/g, ' '), max);
}

function render(value: Json): string {
  if (typeof value === 'string') return quoted(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (isLiteral(value)) return typeof value.$literal === 'string' ? quoted(value.$literal) : JSON.stringify(value.$literal);
  const op = expressionOperation(value);
  if (op === undefined) return `{${Object.entries(value).map(([k, v]) => `${k}: ${render(v)}`).join(', ')}}`;
  const args = operationArgs(value, op);
  if (op === 'var') return varText(args);
  if (op === '!') return `not ${operand(args[0] ?? null)}`;
  if (op === '!!') return `!!${operand(args[0] ?? null)}`;
  // A lone `-` argument is negation, not subtraction.
  if (INFIX.has(op) && (args.length >= 2 || op !== '-')) return args.map(operand).join(` ${op} `);
  return `${op}(${args.map(render).join(', ')})`;
}

/**
 * Strings in single quotes: a double quote would have to be an entity code in a Mermaid
 * label, which Mermaid garbles when it wraps a long label.
 */
function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `{ var: "a.b" }` → `a.b`; with a default: `a.b ?? 0`. */
function varText(args: Json[]): string {
  const [path, fallback] = args;
  const name = typeof path === 'string' || typeof path === 'number' ? String(path) : render(path ?? null);
  const shown = name === '' ? 'var("")' : name;
  return args.length > 1 ? `${shown} ?? ${render(fallback ?? null)}` : shown;
}

/** An argument of an infix or prefix operation, in parentheses when it is itself infix. */
function operand(value: Json): string {
  const op = expressionOperation(value);
  const text = render(value);
  return op !== undefined && INFIX.has(op) ? `(${text})` : text;
}
