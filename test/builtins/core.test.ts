import { describe, expect, it } from 'vitest';
import { WorkflowError } from '../../interpreter/errors.js';
import { coreEcho } from '../../src/activities/builtins/core-echo.js';
import { coreLog } from '../../src/activities/builtins/core-log.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import type { ActivityContext } from '../../src/activities/types.js';

type Logged = { level: string; message: string; data: unknown; args: number };

/** A context as the engine would give one, recording what is logged. */
function fakeContext(activity: string): ActivityContext & { logs: Logged[] } {
  const logs: Logged[] = [];
  return {
    logs,
    signal: new AbortController().signal,
    heartbeat() {},
    attempt: 1,
    activity,
    step: 'step-1',
    runId: 'run-1',
    log(level, message, ...rest: unknown[]) {
      logs.push({ level, message, data: rest[0], args: 2 + rest.length });
    },
  };
}

describe('built-in catalog', () => {
  it('has exactly the activities of docs/dsl.md#activities', () => {
    expect(BUILTIN_ACTIVITIES.map((a) => a.name)).toEqual(['core.echo', 'core.log', 'http.request']);
    for (const activity of BUILTIN_ACTIVITIES) expect(activity.defaults).toBeUndefined();
  });
});

describe('core.echo', () => {
  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty string', ''],
    ['zero', 0],
    ['a number', 3.25],
    ['false', false],
    ['true', true],
    ['an empty array', []],
    ['an array', [1, 'two', null, { three: 3 }]],
    ['an empty object', {}],
    ['a nested object', { a: { b: [1, { c: null }] }, d: 'e' }],
  ])('returns %s unchanged', async (_, value) => {
    const out = await coreEcho.run(value, fakeContext('core.echo'));
    expect(out).toEqual(value);
    if (value !== null && typeof value === 'object') expect(out).toBe(value);
  });

  it('returns null when called without input', async () => {
    expect(await coreEcho.run(undefined, fakeContext('core.echo'))).toBeNull();
  });

  it('logs nothing', async () => {
    const context = fakeContext('core.echo');
    await coreEcho.run({ message: 'not a log' }, context);
    expect(context.logs).toEqual([]);
  });

  it('accepts and returns any JSON (schemas `true`)', () => {
    expect(coreEcho.input).toBe(true);
    expect(coreEcho.output).toBe(true);
  });
});

describe('core.log', () => {
  it('logs at info by default and returns null', async () => {
    const context = fakeContext('core.log');
    expect(await coreLog.run({ message: 'hello' }, context)).toBeNull();
    expect(context.logs).toEqual([{ level: 'info', message: 'hello', data: undefined, args: 2 }]);
  });

  it.each(['debug', 'info', 'warn', 'error'] as const)('logs at level %s', async (level) => {
    const context = fakeContext('core.log');
    expect(await coreLog.run({ message: `at ${level}`, level }, context)).toBeNull();
    expect(context.logs).toEqual([{ level, message: `at ${level}`, data: undefined, args: 2 }]);
  });

  it.each([
    ['an object', { orderId: 'o-1', lines: [1, 2] }],
    ['null', null],
    ['zero', 0],
    ['a string', 'x'],
  ])('passes data (%s) along', async (_, data) => {
    const context = fakeContext('core.log');
    await coreLog.run({ message: 'with data', level: 'warn', data }, context);
    expect(context.logs).toEqual([{ level: 'warn', message: 'with data', data, args: 3 }]);
  });

  it.each([
    ['an unknown level', { message: 'm', level: 'loud' }, /`level` must be one of debug, info, warn, error, not "loud"/],
    ['an upper-case level', { message: 'm', level: 'INFO' }, /`level` must be one of/],
    ['a null level', { message: 'm', level: null }, /`level` must be one of/],
    ['a missing message', { level: 'info' }, /`message` must be a string/],
    ['a non-string message', { message: 42 }, /`message` must be a string/],
    ['no input', null, /input must be an object/],
    ['an array', ['m'], /input must be an object/],
  ])('refuses %s with a non-retryable InvalidInput and logs nothing', async (_, input, message) => {
    const context = fakeContext('core.log');
    const error = await coreLog.run(input as never, context).then(
      () => expect.fail('expected a failure'),
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).type).toBe('InvalidInput');
    expect((error as WorkflowError).nonRetryable).toBe(true);
    expect((error as WorkflowError).message).toMatch(message);
    expect(context.logs).toEqual([]);
  });

  it('declares the schema of docs/dsl.md#activities', () => {
    expect(coreLog.input).toMatchObject({
      type: 'object',
      required: ['message'],
      properties: { message: { type: 'string' }, level: { enum: ['debug', 'info', 'warn', 'error'] } },
    });
    expect(coreLog.output).toEqual({ type: 'null' });
  });
});
