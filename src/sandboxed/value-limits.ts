/**
 * The limits on values that come from outside a run's definition — inputs, signal
 * payloads, activity results and query answers (docs/dsl.md#limits-on-values): checked
 * once, here, before the value is used, so a hostile or broken value cannot overflow
 * the stack of a recursive consumer (schema validation, rendering, the journal) or
 * outgrow what Temporal can carry. Iterative (an explicit stack), and bounded in work
 * even for a value with cycles or shared parts: it stops at the first limit crossed.
 * Pure: runs in the workflow sandbox.
 */

export const VALUE_LIMITS = {
  /** Nesting of arrays and objects: `[]` is 1 level, `[[1]]` 2. */
  maxDepth: 256,
  /** The value's JSON text, in UTF-8 bytes: Temporal's payload limit (2 MB). */
  maxBytes: 2 * 1024 * 1024,
  /** Any one string (or object key), in characters (UTF-16 code units): 1 MB. */
  maxStringLength: 1024 * 1024,
} as const;

interface Frame {
  keys: readonly string[] | undefined; // undefined for an array
  container: Record<string, unknown> | readonly unknown[];
  next: number;
  depth: number;
}

/**
 * Why `value` is over the limits, as a clause that follows the value's name
 * ("nests deeper than 256 levels"), or undefined when it is within them.
 */
export function valueLimitProblem(value: unknown): string | undefined {
  const { maxDepth, maxBytes, maxStringLength } = VALUE_LIMITS;
  // A lower bound of the JSON size while walking: each value writes at least one
  // character, each string its length plus quotes; so shared parts and cycles count
  // as often as JSON would write them, and the walk stops once it is over.
  let size = 0;
  // And an upper bound (a character escapes to at most 6 bytes, a number takes at most 25),
  // so that a value clearly within the limit is not written out as JSON to be measured.
  let upper = 0;
  const stack: Frame[] = [];
  const visit = (v: unknown, depth: number): string | undefined => {
    if (typeof v === 'string') {
      if (v.length > maxStringLength) return `holds a string of ${grouped(v.length)} characters, over the limit of ${grouped(maxStringLength)} (1 MB)`;
      size += v.length + 2;
      upper += 6 * v.length + 2;
    } else if (v !== null && typeof v === 'object') {
      if (depth + 1 > maxDepth) return `nests deeper than ${maxDepth} levels of arrays and objects, the limit`;
      size += 2;
      upper += 2;
      if (Array.isArray(v)) stack.push({ keys: undefined, container: v, next: 0, depth: depth + 1 });
      else stack.push({ keys: Object.keys(v), container: v as Record<string, unknown>, next: 0, depth: depth + 1 });
    } else {
      size += 1;
      upper += typeof v === 'number' ? 25 : typeof v === 'boolean' || v === null || v === undefined ? 9 : Infinity;
    }
    return size > maxBytes ? `is larger than ${formatSize(maxBytes)} as JSON, the limit` : undefined;
  };
  let problem = visit(value, 0);
  while (problem === undefined && stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { keys, container } = frame;
    const count = keys ? keys.length : (container as readonly unknown[]).length;
    if (frame.next >= count) {
      stack.pop();
      continue;
    }
    const i = frame.next++;
    if (i > 0) {
      size += 1; // the comma
      upper += 1;
    }
    if (keys) {
      const key = keys[i]!;
      if (key.length > maxStringLength) return `has an object key of ${grouped(key.length)} characters, over the limit of ${grouped(maxStringLength)} (1 MB)`;
      size += key.length + 3; // quotes and colon
      upper += 6 * key.length + 3;
      problem = visit((container as Record<string, unknown>)[key], frame.depth);
    } else {
      problem = visit((container as readonly unknown[])[i], frame.depth);
    }
  }
  if (problem !== undefined) return problem;
  if (upper <= maxBytes) return undefined;
  // Close to the limit: measure exactly (the depth is known to be safe for JSON.stringify now).
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    return `cannot be written as JSON (${(error as Error).message})`;
  }
  const bytes = json === undefined ? 0 : utf8Length(json);
  return bytes > maxBytes ? `is larger than ${formatSize(maxBytes)} as JSON, the limit (it is ${grouped(bytes)} bytes)` : undefined;
}

/** The UTF-8 length of well-formed text (JSON.stringify escapes lone surrogates). */
function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 2; // 4 bytes for the pair's 2 code units
      i++;
    } else n += 2;
  }
  return n;
}

function formatSize(bytes: number): string {
  return `${bytes / (1024 * 1024)} MB`;
}

/** 1048576 → "1,048,576" (without Intl, which the sandbox need not have). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
