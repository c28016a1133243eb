/**
 * Partial matching of expected values against what a run produced: a mapping
 * matches when every key it lists matches (other keys are ignored), a list when it
 * has as many items and each matches, `{ $match: <regex> }` any string the regex
 * finds, anything else by equality.
 */
import type { JsonPath } from '../load/source-map.js';

/** One way the actual value differs from the expected one, at `path` inside it. */
export interface Difference {
  path: JsonPath;
  expected: unknown;
  /** Absent when the actual value has nothing at `path`. */
  actual?: unknown;
  missing?: true;
}

export function differences(expected: unknown, actual: unknown, path: JsonPath = []): Difference[] {
  const pattern = regexOf(expected);
  if (pattern) return typeof actual === 'string' && pattern.test(actual) ? [] : [{ path, expected, actual }];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [{ path, expected, actual }];
    return expected.flatMap((item, i) => differences(item, actual[i], [...path, i]));
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return [{ path, expected, actual }];
    return Object.entries(expected).flatMap(([key, value]) =>
      Object.prototype.hasOwnProperty.call(actual, key) ? differences(value, actual[key], [...path, key]) : [{ path: [...path, key], expected: value, missing: true as const }],
    );
  }
  return Object.is(expected, actual) || expected === actual ? [] : [{ path, expected, actual }];
}

export function matches(expected: unknown, actual: unknown): boolean {
  return differences(expected, actual).length === 0;
}

/** The regex of a `{ $match: "…" }` matcher (an invalid regex matches nothing). */
function regexOf(value: unknown): RegExp | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 1 || typeof value.$match !== 'string') return undefined;
  try {
    return new RegExp(value.$match);
  } catch {
    return /(?!)/;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
