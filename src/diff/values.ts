import { isDeepStrictEqual } from 'node:util';
import { expressionOperation, isLiteral } from '../../interpreter/expression-syntax.js';
import type { Json } from '../../interpreter/model.js';
import type { JsonPath } from '../../interpreter/walk.js';

export interface ValueChange {
  /** Relative to the values compared. */
  path: JsonPath;
  kind: 'added' | 'removed' | 'changed';
  before?: Json;
  after?: Json;
}

/**
 * The differences between two JSON values, as deep as a reviewer wants them: into
 * objects key by key, and into same-length lists of objects item by item (switch
 * cases, catch clauses), but never into an expression — `{ var: total }` becoming
 * `{ var: amount }` is one change of one value. Key order does not matter.
 */
export function valueChanges(before: Json | undefined, after: Json | undefined, path: JsonPath = []): ValueChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, kind: 'added', after: after! }];
  if (after === undefined) return [{ path, kind: 'removed', before }];
  if (isDeepStrictEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after) && !isValue(before) && !isValue(after)) {
    return unionKeys(before, after).flatMap((key) => valueChanges(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && [...before, ...after].every(isRecord)) {
    return after.flatMap((item, i) => valueChanges(before[i], item, [...path, i]));
  }
  return [{ path, kind: 'changed', before, after }];
}

/** The keys of both records: the new one's in its order, then those only the old one has. */
export function unionKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return [...Object.keys(after), ...Object.keys(before).filter((k) => !Object.hasOwn(after, k))];
}

export function isRecord(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An expression or a `$literal`: one value, not a structure to look into. */
function isValue(value: Json): boolean {
  return expressionOperation(value) !== undefined || isLiteral(value);
}

/** Parts of a definition are JSON by construction; their TypeScript interfaces just don't say so. */
export function asJson(value: unknown): Json {
  return value as Json;
}

/** `before` and `after` where they are defined (JSON has no `undefined`, and JSON output should not show one). */
export function beforeAfter(before: Json | undefined, after: Json | undefined): { before?: Json; after?: Json } {
  return { ...(before !== undefined && { before }), ...(after !== undefined && { after }) };
}
