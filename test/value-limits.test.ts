/** docs/dsl.md#limits-on-values: the one check of inputs, signal payloads, activity results and query answers. */
import { describe, expect, it } from 'vitest';
import { VALUE_LIMITS, valueLimitProblem } from '../src/sandboxed/value-limits.js';
import { activityOutputError } from '../src/sandboxed/activity-checks.js';
import { signalProblem } from '../src/sandboxed/signals.js';
import type { WorkflowDefinition } from '../interpreter/model.js';

/** An array (or object) nested `depth` levels deep, built without recursion. */
function nested(depth: number, kind: 'array' | 'object' = 'array'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

const MB = 1024 * 1024;

describe('value limits', () => {
  it('are 256 levels, 2 MB as JSON and 1 MB strings', () => {
    expect(VALUE_LIMITS).toEqual({ maxDepth: 256, maxBytes: 2 * MB, maxStringLength: MB });
  });

  it('refuse arrays and objects nested 10,000 deep, without overflowing the stack', () => {
    expect(valueLimitProblem(nested(10_000))).toBe('nests deeper than 256 levels of arrays and objects, the limit');
    expect(valueLimitProblem(nested(10_000, 'object'))).toBe('nests deeper than 256 levels of arrays and objects, the limit');
    expect(valueLimitProblem(nested(1_000_000))).toBeDefined();
  });

  it('accept nesting at the limit and refuse one level more', () => {
    expect(valueLimitProblem(nested(256))).toBeUndefined();
    expect(valueLimitProblem(nested(256, 'object'))).toBeUndefined();
    expect(valueLimitProblem(nested(257))).toMatch(/^nests deeper than 256 levels/);
    expect(valueLimitProblem({ wide: Array.from({ length: 1000 }, () => nested(254)) })).toBeUndefined();
  });

  it('refuse a 3 MB string, and accept one of exactly 1 MB', () => {
    expect(valueLimitProblem({ text: 'x'.repeat(3 * MB) })).toBe('holds a string of 3,145,728 characters, over the limit of 1,048,576 (1 MB)');
    expect(valueLimitProblem('x'.repeat(MB))).toBeUndefined();
    expect(valueLimitProblem(['x'.repeat(MB + 1)])).toMatch(/^holds a string of 1,048,577 characters/);
    expect(valueLimitProblem({ ['k'.repeat(MB + 1)]: 1 })).toMatch(/^has an object key of 1,048,577 characters/);
  });

  it('measure the size as UTF-8 JSON: exactly 2 MB is accepted, one byte more is not', () => {
    // ["…","…"]: 2 brackets, 4 quotes, 1 comma around the two strings.
    const atLimit = (extra: number) => ['a'.repeat(MB), 'b'.repeat(MB - 7 + extra)];
    expect(valueLimitProblem(atLimit(0))).toBeUndefined();
    expect(valueLimitProblem(atLimit(1))).toBe('is larger than 2 MB as JSON, the limit');
    // "é" is one character but two bytes: measured exactly.
    expect(valueLimitProblem(['é'.repeat(MB - 8), 'x'.repeat(9)])).toBeUndefined();
    expect(valueLimitProblem(['é'.repeat(MB - 8), 'x'.repeat(10)])).toBe('is larger than 2 MB as JSON, the limit (it is 2,097,153 bytes)');
  });

  it('stop early on a large value made of many small parts, and on shared parts', () => {
    expect(valueLimitProblem(Array.from({ length: 3 * MB }, () => 0))).toBe('is larger than 2 MB as JSON, the limit');
    const part = Array.from({ length: 1000 }, (_, i) => i);
    const shared = Array.from({ length: 5000 }, () => part); // small in memory, ~20 MB as JSON
    expect(valueLimitProblem(shared)).toBe('is larger than 2 MB as JSON, the limit');
  });

  it('end on a value with a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(valueLimitProblem(cyclic)).toMatch(/^nests deeper than 256 levels/);
    const wide: unknown[] = [];
    for (let i = 0; i < 100; i++) wide.push(wide);
    expect(valueLimitProblem(wide)).toBeDefined();
  });

  it('accept ordinary values', () => {
    for (const value of [null, 0, -1.5e300, true, '', 'text', [], {}, { a: [1, { b: 'c' }], d: null }]) expect(valueLimitProblem(value)).toBeUndefined();
  });

  it('are checked for signal payloads and activity outputs, before their schemas', () => {
    const definition = { revo: 1, name: 'w', steps: [], signals: { approve: { schema: { type: 'object' } } } } as unknown as WorkflowDefinition;
    expect(signalProblem(definition, 'approve', nested(10_000) as never)).toBe('the payload of signal "approve" nests deeper than 256 levels of arrays and objects, the limit');
    expect(signalProblem(definition, 'approve', { ok: true })).toBeUndefined();
    const error = activityOutputError({ name: 't.deep', input: true, output: { type: 'array' } }, 'fetch', nested(10_000));
    expect(error).toMatchObject({ type: 'InvalidOutput', nonRetryable: true, message: 'output of activity "t.deep" in step "fetch" nests deeper than 256 levels of arrays and objects, the limit' });
  });
});
