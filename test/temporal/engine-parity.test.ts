/**
 * Differential tests of the two engines: a corpus of small workflows, each run on the
 * local engine (virtual clock) and on the shared Temporal dev server, with fresh test
 * activities following the same script on both. The run records must agree on what
 * test/temporal/definitions-parity.test.ts compares — status, output, error type and
 * step, and per step instance its status, attempts and error type — with compensations
 * compared as a set (concurrent branches unwind in each engine's completion order).
 *
 * The Temporal worker of this file registers one router per activity name; each case
 * points the routers at its own fresh activities, so call counts and what each call saw
 * (its abort signal included) belong to one run on one engine; the number of calls of
 * each activity must agree too.
 *
 * The cases cover the drifts that once split the engines: a bad child input, the error
 * types and attempts of `local: true` calls, calls cancelled in flight (the activity
 * must see its abort on Temporal too), and `maxElapsed` running out between attempts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowError } from '../../interpreter/errors.js';
import type { Json, JsonSchema } from '../../interpreter/model.js';
import type { ActivityDefinition } from '../../src/activities/types.js';
import type { RunRecord } from '../../src/history/record.js';
import type { LocalRun } from '../../src/local/engine.js';
import { custom, fails, type Behaviour, hangs, returns, runWorkflow, testActivity, throwsPlain, until, workflow, type RunResult, type TestActivity, type TestActivityOptions } from '../engine/harness.js';
import { comparableRecord, eventually, temporalEnv, type TemporalRunResult, type TemporalTestEnv } from './harness.js';

type Activities = Record<string, TestActivity>;

interface Case {
  name: string;
  yaml: string;
  files?: Record<string, string>;
  input?: Json;
  /** Fresh test activities, one set per engine (and one up front for their names and schemas). */
  activities?: () => TestActivity[];
  /** Sent right after the start (signals are buffered from the start: docs/dsl.md#signals-and-queries). */
  signals?: { name: string; payload: Json }[];
  /** Cancels the run as soon as this holds of that engine's activities. */
  cancelWhen?: (activities: Activities) => boolean;
  continueAfterEvents?: number;
  /** What the case is about, checked on each engine's record (so an agreement is not a vacuous one). */
  want?: { status: string; error?: { type: string; step?: string }; steps?: Record<string, string | null>; output?: Json };
  /** Further assertions on both runs. */
  check?(ran: { local: LocalSide; temporal: TemporalSide }): void | Promise<void>;
}

type LocalSide = RunResult & { activities: Activities };
type TemporalSide = TemporalRunResult & { activities: Activities };

const FAST = 'defaults: { retry: { initialInterval: 10ms, maxInterval: 20ms } }\n';

/** Waits (real time) until `ready` holds, then throws a non-retryable WorkflowError of `type`. */
const failsOnce = (ready: () => boolean, type: string): Behaviour =>
  custom(async () => {
    await eventually(async () => ready(), `the moment to fail with ${type}`, 10_000);
    throw new WorkflowError(type, `${type} (scripted)`, { nonRetryable: true });
  });

/** Returns its input (a number) after that many ms of real time. */
const sleepsInput = (): Behaviour => custom(async (input) => {
  await new Promise((resolve) => setTimeout(resolve, input as number));
  return input as Json;
});

const act = (name: string, options: TestActivityOptions = {}): TestActivity => testActivity(name, options);
const byName = (list: TestActivity[]): Activities => Object.fromEntries(list.map((a) => [a.name, a]));

const TYPED_INPUT: JsonSchema = { type: 'object', required: ['n'], properties: { n: { type: 'number' } } };
const TYPED_OUTPUT: JsonSchema = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } };

/** `step status attempts errorType`, as `comparable` lists it. */
const stepLine = (s: RunRecord['steps'][number]): string => `${s.status} ${s.attempts ?? '-'} ${s.error?.type ?? '-'}`;

/** The failure paths of a call, as a remote activity or (`local: true`) a Temporal local activity. */
function callFailures(asLocal: boolean): Case[] {
  const l = asLocal ? ', local: true' : '';
  const tag = asLocal ? ' (local: true)' : '';
  return [
    {
      name: `a custom error type fails the run at the call${tag}`,
      yaml: workflow(`
        - { id: ok, call: t.echo, with: 1${l} }
        - { id: pay, call: t.pay, with: { amount: 5 }${l} }
      `, FAST + 'activities: { t.pay: { retry: { maxAttempts: 2 } } }\n'),
      activities: () => [act('t.echo'), act('t.pay', { otherwise: fails('PaymentDeclined', { message: 'card refused' }) })],
      want: { status: 'failed', error: { type: 'PaymentDeclined', step: 'pay' }, steps: { pay: 'failed 2 PaymentDeclined' } },
    },
    {
      name: `NotFound is never retried${tag}`,
      yaml: workflow(`- { id: get, call: t.get, with: 1${l} }`, FAST),
      activities: () => [act('t.get', { otherwise: fails('NotFound') })],
      want: { status: 'failed', error: { type: 'NotFound', step: 'get' }, steps: { get: 'failed 1 NotFound' } },
    },
    {
      name: `Transient is retried until it succeeds${tag}`,
      yaml: workflow(`- { id: flaky, call: t.flaky, with: { x: 1 }, result: r${l} }`, FAST),
      activities: () => [act('t.flaky', { script: [fails('Transient'), fails('Transient')] })],
      want: { status: 'completed', output: { r: { x: 1 } }, steps: { flaky: 'completed 3 -' } },
    },
    {
      name: `retries exhausted after maxAttempts${tag}`,
      yaml: workflow(`- { id: flaky, call: t.flaky, with: 1, retry: { maxAttempts: 3, initialInterval: 10ms }${l} }`),
      activities: () => [act('t.flaky', { otherwise: fails('Transient') })],
      want: { status: 'failed', error: { type: 'Transient', step: 'flaky' }, steps: { flaky: 'failed 3 Transient' } },
    },
    {
      name: `nonRetryable in the policy, and an error the activity marks non-retryable, fail at once${tag}`,
      yaml: workflow(`
        - id: guard
          try:
            - { id: pay, call: t.pay, with: 1, retry: { nonRetryable: [PaymentDeclined] }${l} }
          catch: [ { errors: [PaymentDeclined], steps: [ { id: noted, set: { declined: { var: error.type } } } ] } ]
        - { id: marked, call: t.marked, with: 2${l} }
      `, FAST),
      activities: () => [act('t.pay', { otherwise: fails('PaymentDeclined') }), act('t.marked', { otherwise: fails('Boom', { nonRetryable: true }) })],
      want: { status: 'failed', error: { type: 'Boom', step: 'marked' }, steps: { pay: 'failed 1 PaymentDeclined', marked: 'failed 1 Boom' } },
    },
    {
      name: `retryOn: only the listed types are retried${tag}`,
      yaml: workflow(`
        - { id: listed, call: t.listed, with: 1, retry: { retryOn: [Transient] }${l} }
        - { id: unlisted, call: t.unlisted, with: 2, retry: { retryOn: [Transient] }${l} }
      `, FAST),
      activities: () => [act('t.listed', { script: [fails('Transient')] }), act('t.unlisted', { otherwise: fails('Weird') })],
      want: { status: 'failed', error: { type: 'Weird', step: 'unlisted' }, steps: { listed: 'completed 2 -', unlisted: 'failed 1 Weird' } },
    },
    {
      name: `a plain thrown Error is an ActivityError, retried${tag}`,
      yaml: workflow(`
        - { id: once, call: t.once, with: 1${l} }
        - { id: always, call: t.always, with: 2, retry: { maxAttempts: 3 }${l} }
      `, FAST),
      activities: () => [act('t.once', { script: [throwsPlain('oops')] }), act('t.always', { otherwise: throwsPlain('kaputt') })],
      want: { status: 'failed', error: { type: 'ActivityError', step: 'always' }, steps: { once: 'completed 2 -', always: 'failed 3 ActivityError' } },
    },
    {
      name: `InvalidInput and InvalidOutput against the activity's schemas, not retried${tag}`,
      // Through an expression, so validation cannot see the wrong type before the run.
      yaml: workflow(`
        - id: guard
          try: [ { id: badIn, call: t.typed, with: { n: { var: input.n } }${l} } ]
          catch: [ { errors: [InvalidInput], steps: [ { id: noted, set: { first: { var: error.type } } } ] } ]
        - { id: badOut, call: t.typed, with: { n: 0 }${l} }
      `, FAST),
      input: { n: 'x' },
      activities: () => [act('t.typed', { input: TYPED_INPUT, output: TYPED_OUTPUT, decide: (input) => returns((input as { n: number }).n > 0 ? { ok: true } : { wrong: 1 }) })],
      want: { status: 'failed', error: { type: 'InvalidOutput', step: 'badOut' }, steps: { badIn: 'failed 1 InvalidInput', badOut: 'failed 1 InvalidOutput' } },
      check: ({ local, temporal }) => {
        // The bad input never reached the code; the bad output came from one call.
        expect(local.activities['t.typed']!.count).toBe(1);
        expect(temporal.activities['t.typed']!.count).toBe(1);
      },
    },
  ];
}

/** Cancelling the run while a call (remote, or `local: true`) is in flight. */
function cancelInFlight(asLocal: boolean): Case {
  const l = asLocal ? ', local: true' : '';
  const tag = asLocal ? ' (local: true)' : '';
  return {
    name: `cancelling the run while the call is in flight${tag}`,
    yaml: workflow(`
      - id: booked
        call: t.echo
        with: booked
        local: ${asLocal}
        compensate: [ { id: unbook, call: t.undo, with: unbook } ]
      - { id: stuck, call: t.hang, with: 1${l} }
    `, FAST),
    activities: () => [act('t.echo'), act('t.undo'), act('t.hang', { otherwise: hangs() })],
    cancelWhen: (a) => a['t.hang']!.count > 0,
    want: { status: 'cancelled', steps: { stuck: 'failed 1 Cancelled', booked: 'compensated 1 -' } },
    check: async ({ local, temporal }) => {
      for (const side of [local, temporal]) {
        const call = side.activities['t.hang']!.calls;
        expect(call).toHaveLength(1);
        expect(side.activities['t.undo']!.inputs).toEqual(['unbook']);
      }
      expect(local.activities['t.hang']!.calls[0]!.signal.aborted).toBe(true);
      // On Temporal the cancellation reaches the activity through its heartbeats (or, for a local activity, in the worker).
      await eventually(async () => temporal.activities['t.hang']!.calls[0]!.signal.aborted, 'the in-flight activity to see its abort', 10_000);
    },
  };
}

/** failFast: a failing branch cancels its sibling, whose call is in flight. */
const failFastSibling: Case = {
  name: 'failFast cancels a sibling branch whose call is in flight',
  yaml: workflow(`
    - id: fan
      parallel:
        - id: a
          steps: [ { id: waiting, call: t.hang, with: 1 }, { id: never, set: { never: true } } ]
        - id: b
          steps: [ { id: boom, call: t.boom, with: 2 } ]
    - { id: after, set: { after: true } }
  `, FAST),
  activities: () => {
    const hang = act('t.hang', { otherwise: hangs() });
    // Fails only once the sibling's call is in flight.
    const boom = act('t.boom', { otherwise: failsOnce(() => hang.count > 0, 'Boom') });
    return [hang, boom];
  },
  want: { status: 'failed', error: { type: 'Boom', step: 'boom' }, steps: { fan: 'failed - Boom', after: null, never: null, waiting: 'failed 1 Cancelled', boom: 'failed 1 Boom' } },
  check: async ({ local, temporal }) => {
    expect(local.activities['t.hang']!.calls[0]!.signal.aborted).toBe(true);
    await eventually(async () => temporal.activities['t.hang']!.calls[0]!.signal.aborted, 'the cancelled sibling to see its abort', 10_000);
  },
};

/** A failing foreach iteration cancels the ones in flight. */
const foreachCancel: Case = {
  name: 'a failing foreach iteration cancels the ones in flight',
  yaml: workflow(`
    - id: each
      foreach: [0, 1, 2, 3]
      concurrency: 2
      steps:
        - { id: work, call: t.work, with: { var: item } }
  `, FAST),
  activities: () => {
    const work: TestActivity = act('t.work', {
      decide: (input) => (input === 1 ? hangs() : failsOnce(() => work.calls.some((c) => c.input === 1), 'Broken')),
    });
    return [work];
  },
  want: { status: 'failed', error: { type: 'Broken', step: 'work' }, steps: { each: 'failed - Broken', 'each[0]/work': 'failed 1 Broken', 'each[1]/work': 'failed 1 Cancelled' } },
};

/** `maxElapsed` with the numbers of the brief: shorter than one Temporal retry takes on a dev server. */
/** `maxElapsed` too short for the first retry: it would begin after maxElapsed, so the step fails with Timeout after one attempt. */
const maxElapsedShort: Case = {
  name: 'maxElapsed runs out before the first retry (maxElapsed 500ms, initialInterval 600ms): Timeout after 1 attempt',
  yaml: workflow(`- { id: flaky, call: t.flaky, with: 1, retry: { maxAttempts: 10, initialInterval: 600ms, maxElapsed: 500ms } }`),
  activities: () => [act('t.flaky', { otherwise: fails('Transient') })],
  want: { status: 'failed', error: { type: 'Timeout', step: 'flaky' }, steps: { flaky: 'failed 1 Timeout' } },
};

/** `maxElapsed` with room: the third attempt would start at 3s, which is not before maxElapsed. */
const maxElapsedRoomy: Case = {
  name: 'maxElapsed runs out after two attempts (maxElapsed 3s, initialInterval 1s): Timeout',
  yaml: workflow(`- { id: flaky, call: t.flaky, with: 1, retry: { maxAttempts: 10, initialInterval: 1s, maxElapsed: 3s } }`),
  activities: () => [act('t.flaky', { otherwise: fails('Transient') })],
  want: { status: 'failed', error: { type: 'Timeout', step: 'flaky' }, steps: { flaky: 'failed 2 Timeout' } },
};

/** An attempt still running when maxElapsed passes is stopped with Timeout. */
const maxElapsedInFlight: Case = {
  name: 'an attempt still running when maxElapsed passes is stopped with Timeout',
  yaml: workflow(`- { id: slow, call: t.slow, with: 1, timeout: 10s, retry: { maxAttempts: 3, maxElapsed: 400ms } }`),
  activities: () => [act('t.slow', { otherwise: hangs() })],
  want: { status: 'failed', error: { type: 'Timeout', step: 'slow' }, steps: { slow: 'failed 1 Timeout' } },
};

const KID_INPUT = `input: { type: object, required: [n], properties: { n: { type: number } } }\n`;

const CASES: Case[] = [
  {
    name: 'call, set, switch (a case, a default), a when skip, the output template',
    yaml: workflow(`
      - { id: c, call: t.echo, with: { n: { var: input.n } }, result: got }
      - { id: s, set: { double: { "*": [{ var: got.n }, 2] }, seen: { var: got.n } } }
      - id: sw
        switch:
          - when: { ">": [{ var: double }, 100] }
            steps: [ { id: big, set: { size: big } } ]
          - when: { ">": [{ var: double }, 5] }
            steps: [ { id: medium, set: { size: medium } } ]
        default: [ { id: small, set: { size: small } } ]
      - id: sw2
        switch:
          - when: { "==": [{ var: size }, big] }
            steps: [ { id: never, set: { other: 1 } } ]
        default: [ { id: dflt, set: { other: 2 } } ]
      - { id: skipped, when: { var: [input.no, false] }, call: t.echo, with: 1 }
    `, 'output: { double: { var: double }, size: { var: size }, other: { var: other }, wf: { var: workflow.name } }\n'),
    input: { n: 7 },
    activities: () => [act('t.echo')],
    want: { status: 'completed', output: { double: 14, size: 'medium', other: 2, wf: 'test-workflow' }, steps: { skipped: 'skipped - -', never: null } },
  },
  {
    name: 'parallel branches merge their variables in branch order',
    yaml: workflow(`
      - id: fan
        parallel:
          - id: a
            steps: [ { id: ca, call: t.slow, with: 30, result: ra } ]
          - id: b
            steps: [ { id: cb, call: t.echo, with: 2, result: rb }, { id: sb, set: { after: { var: rb } } } ]
      - { id: sum, set: { total: { "+": [{ var: ra }, { var: rb }] } } }
    `),
    activities: () => [act('t.echo'), act('t.slow', { otherwise: sleepsInput() })],
    want: { status: 'completed', output: { ra: 30, rb: 2, after: 2, total: 32 } },
  },
  {
    name: 'parallel with failFast: false runs the other branches to their end',
    yaml: workflow(`
      - id: fan
        failFast: false
        parallel:
          - id: a
            steps: [ { id: boom, call: t.boom, with: 1 } ]
          - id: b
            steps: [ { id: slowOne, call: t.slow, with: 40 }, { id: doneB, set: { b: true } } ]
    `, FAST),
    activities: () => [act('t.boom', { otherwise: fails('Boom', { nonRetryable: true }) }), act('t.slow', { otherwise: sleepsInput() })],
    want: { status: 'failed', error: { type: 'Boom', step: 'boom' }, steps: { fan: 'failed - Boom', slowOne: 'completed 1 -', doneB: 'completed - -' } },
  },
  {
    name: 'foreach with concurrency, index, collect and result (in element order)',
    yaml: workflow(`
      - id: each
        foreach: { var: input.items }
        as: it
        index: i
        concurrency: 3
        steps:
          - { id: work, call: t.slow, with: { var: it }, result: out }
        collect: { "+": [{ var: out }, { var: i }] }
        result: collected
      - id: serial
        foreach: [a, b]
        steps: [ { id: w2, call: t.echo, with: { var: item }, result: x } ]
        collect: { var: x }
        result: letters
    `),
    input: { items: [40, 10, 30, 20, 5] },
    activities: () => [act('t.echo'), act('t.slow', { otherwise: sleepsInput() })],
    want: { status: 'completed', output: { collected: [40, 11, 32, 23, 9], letters: ['a', 'b'] } },
  },
  {
    name: 'while, with a return from inside the loop',
    yaml: workflow(`
      - { id: init, set: { n: 0, acc: [] } }
      - id: loop
        while: { "<": [{ var: n }, 10] }
        steps:
          - { id: bump, set: { n: { "+": [{ var: n }, 1] } } }
          - { id: rec, call: t.echo, with: { var: n }, result: last }
          - { id: push, set: { acc: { merge: [{ var: acc }, [{ var: last }]] } } }
          - id: early
            when: { "==": [{ var: n }, 4] }
            return: { n: { var: n }, acc: { var: acc } }
    `),
    activities: () => [act('t.echo')],
    want: { status: 'completed', output: { n: 4, acc: [1, 2, 3, 4] } },
  },
  {
    name: 'while over maxIterations fails with LoopLimitExceeded',
    yaml: workflow(`
      - { id: init, set: { n: 0 } }
      - id: loop
        while: true
        maxIterations: 3
        steps: [ { id: bump, set: { n: { "+": [{ var: n }, 1] } } } ]
    `),
    want: { status: 'failed', error: { type: 'LoopLimitExceeded', step: 'loop' } },
  },
  {
    name: 'sleep, fixed and by expression',
    yaml: workflow(`
      - { id: nap, sleep: 50ms }
      - { id: chosen, sleep: { if: [{ var: input.quick }, "20ms", "1h"] } }
      - { id: done, set: { slept: true } }
    `),
    input: { quick: true },
    want: { status: 'completed', output: { slept: true } },
  },
  {
    name: 'an expression that does not give a duration is an ExpressionError',
    yaml: workflow(`- { id: bad, sleep: { var: input.howLong } }`),
    input: { howLong: 50 },
    want: { status: 'failed', error: { type: 'ExpressionError', step: 'bad' } },
  },
  {
    name: 'wait takes a signal sent right after the start; another wait times out and is caught',
    yaml: workflow(`
      - { id: w, wait: { signal: approve, timeout: 5s }, result: approval }
      - id: deadline
        try: [ { id: w2, wait: { signal: approve, timeout: 60ms }, result: second } ]
        catch: [ { errors: [Timeout], as: late, steps: [ { id: noted, set: { lateType: { var: late.type }, lateStep: { var: late.step } } } ] } ]
    `, 'signals: { approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } } }\n'),
    signals: [{ name: 'approve', payload: { by: 'ann' } }],
    want: { status: 'completed', output: { approval: { by: 'ann' }, lateType: 'Timeout', lateStep: 'w2' }, steps: { w2: 'failed - Timeout' } },
  },
  {
    name: 'an uncaught wait timeout fails the run with Timeout',
    yaml: workflow(`- { id: w, wait: { signal: go, timeout: 50ms } }`, 'signals: { go: {} }\n'),
    want: { status: 'failed', error: { type: 'Timeout', step: 'w' } },
  },
  {
    name: 'try/catch/finally: the catch clause that lists the type runs, with the error variable; finally always runs',
    yaml: workflow(`
      - id: t1
        try:
          - { id: pay, call: t.pay, with: 1 }
          - { id: notReached, set: { reached: true } }
        catch:
          - errors: [Other]
            steps: [ { id: wrongClause, set: { clause: other } } ]
          - errors: [PaymentDeclined]
            as: e
            steps: [ { id: rightClause, set: { clause: declined, etype: { var: e.type }, estep: { var: e.step }, eattempt: { var: e.attempt }, emsg: { var: e.message }, edetails: { var: e.details } } } ]
        finally:
          - { id: cleanup, call: t.echo, with: cleanup, result: cleaned }
      - id: t2
        try: [ { id: boom, fail: { type: Mine, message: { cat: ["mine: ", { var: input.who }] }, details: { who: { var: input.who } } } } ]
        catch: [ { steps: [ { id: any, set: { caught: { var: error.type }, cmsg: { var: error.message }, cdetails: { var: error.details } } } ] } ]
      - id: t3
        try:
          - id: inner
            try: [ { id: boom2, fail: { type: Uncaught } } ]
            finally: [ { id: innerFinally, set: { innerFinally: true } } ]
        catch: [ { errors: [Uncaught], steps: [ { id: outerCatch, set: { outer: true } } ] } ]
    `, FAST),
    input: { who: 'ann' },
    activities: () => [act('t.echo'), act('t.pay', { otherwise: fails('PaymentDeclined', { message: 'card refused', nonRetryable: true, details: { code: 51 } }) })],
    want: {
      status: 'completed',
      output: { clause: 'declined', etype: 'PaymentDeclined', estep: 'pay', eattempt: 1, emsg: 'card refused', edetails: { code: 51 }, cleaned: 'cleanup', caught: 'Mine', cmsg: 'mine: ann', cdetails: { who: 'ann' }, innerFinally: true, outer: true },
    },
  },
  {
    name: 'an uncaught fail ends the run with its type; finally still runs; a return from try runs finally',
    yaml: workflow(`
      - id: guard
        try: [ { id: r, when: { var: input.ret }, return: { returned: true, fin: { var: [fin, false] } } }, { id: no, fail: { type: NotToday, message: sorry } } ]
        finally: [ { id: fin, call: t.echo, with: 1, result: fin } ]
    `),
    input: { ret: false },
    activities: () => [act('t.echo')],
    want: { status: 'failed', error: { type: 'NotToday', step: 'no' }, steps: { fin: 'completed 1 -', r: 'skipped - -' } },
  },
  {
    name: 'a return inside try runs finally before the run ends',
    yaml: workflow(`
      - id: guard
        try: [ { id: r, return: { returned: true } }, { id: after, set: { after: true } } ]
        finally: [ { id: fin, call: t.echo, with: 1 } ]
    `),
    activities: () => [act('t.echo')],
    want: { status: 'completed', output: { returned: true }, steps: { fin: 'completed 1 -' } },
  },
  {
    name: 'a saga: two compensated calls, then a failure, unwinds newest first',
    yaml: workflow(`
      - id: charge
        call: t.echo
        with: { what: charge }
        result: charged
        compensate: [ { id: refund, call: t.undo, with: { undo: { var: charged.what } } } ]
      - id: reserve
        call: t.echo
        with: { what: reserve }
        result: reserved
        compensate: [ { id: release, call: t.undo, with: { undo: { var: reserved.what } } } ]
      - { id: ship, call: t.ship, with: 1 }
    `, FAST),
    activities: () => [act('t.echo'), act('t.undo'), act('t.ship', { otherwise: fails('NoCarrier', { nonRetryable: true }) })],
    want: { status: 'failed', error: { type: 'NoCarrier', step: 'ship' }, steps: { charge: 'compensated 1 -', reserve: 'compensated 1 -' } },
    check: ({ local, temporal }) => {
      for (const side of [local, temporal]) {
        expect(side.record.compensations).toEqual(['reserve', 'charge']);
        expect(side.activities['t.undo']!.inputs).toEqual([{ undo: 'reserve' }, { undo: 'charge' }]);
      }
    },
  },
  {
    name: 'compensations pushed by parallel branches, a failing compensation, and a caught error that unwinds nothing',
    yaml: workflow(`
      - id: guard
        try:
          - id: handled
            call: t.echo
            with: handled
            compensate: [ { id: undoHandled, call: t.undo, with: handled } ]
          - { id: fine, fail: { type: Handled } }
        catch: [ { steps: [ { id: ok, set: { handled: true } } ] } ]
      - id: fan
        parallel:
          - id: a
            steps: [ { id: ca, call: t.echo, with: a, compensate: [ { id: undoA, call: t.undo, with: a } ] } ]
          - id: b
            steps: [ { id: cb, call: t.echo, with: b, compensate: [ { id: undoB, call: t.badUndo, with: b } ] } ]
      - { id: ship, fail: { type: NoCarrier } }
    `, FAST),
    activities: () => [act('t.echo'), act('t.undo'), act('t.badUndo', { otherwise: fails('UndoFailed', { nonRetryable: true }) })],
    want: { status: 'failed', error: { type: 'NoCarrier', step: 'ship' } },
  },
  {
    name: 'a child with wait: true gives its output; with wait: false only its start',
    yaml: workflow(`
      - { id: kid, child: { workflow: ./kid.yaml, input: { n: 3 } }, result: got }
      - { id: bg, child: { workflow: ./kid.yaml, wait: false, input: { n: 4 } }, result: started }
      - { id: after, set: { startedHasId: { "!!": { var: started.workflowId } } } }
    `, 'output: { got: { var: got }, startedHasId: { var: startedHasId } }\n'),
    files: { 'kid.yaml': workflow(`- { id: double, set: { d: { "*": [{ var: input.n }, 2] } } }`, KID_INPUT + 'output: { d: { var: d } }\n', 'kid') },
    want: { status: 'completed', output: { got: { d: 6 }, startedHasId: true } },
  },
  {
    name: "a child whose input violates the child's input schema fails at the child step with InvalidInput, and never starts",
    yaml: workflow(`- { id: kid, child: { workflow: ./kid.yaml, input: { n: { var: input.n } } } }`),
    input: { n: 'x' },
    files: { 'kid.yaml': workflow(`- { id: echoIt, call: t.echo, with: { var: input.n } }`, KID_INPUT, 'kid') },
    activities: () => [act('t.echo')],
    want: { status: 'failed', error: { type: 'InvalidInput', step: 'kid' }, steps: { kid: 'failed - InvalidInput' } },
    check: async ({ local, temporal }) => {
      expect(local.engine.runs.size).toBe(1);
      expect(local.activities['t.echo']!.count).toBe(0);
      const history = await temporal.handle.fetchHistory();
      expect(history.events!.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
      expect(temporal.activities['t.echo']!.count).toBe(0);
    },
  },
  {
    name: "a failing child fails the step with the child's type; the message names the child's run id",
    yaml: workflow(`
      - id: charge
        call: t.echo
        with: charged
        compensate: [ { id: refund, call: t.undo, with: parent-refund } ]
      - { id: kid, child: { workflow: ./kid.yaml, input: { n: 1 } } }
    `, FAST),
    files: {
      'kid.yaml': workflow(`
        - { id: book, call: t.echo, with: booked, compensate: [ { id: unbook, call: t.undo, with: child-unbook } ] }
        - { id: pay, call: t.pay, with: { var: input.n } }
      `, KID_INPUT + FAST, 'kid'),
    },
    activities: () => [act('t.echo'), act('t.undo'), act('t.pay', { otherwise: fails('PaymentDeclined', { message: 'card refused', nonRetryable: true }) })],
    want: { status: 'failed', error: { type: 'PaymentDeclined', step: 'kid' }, steps: { kid: 'failed - PaymentDeclined', charge: 'compensated 1 -' } },
    check: async ({ local, temporal }) => {
      const localChild = [...local.engine.runs.values()].find((r: LocalRun) => r !== local.run)!;
      expect(local.record.error!.message).toContain(localChild.runId);
      const history = await temporal.handle.fetchHistory();
      const started = history.events!.find((e) => e.childWorkflowExecutionStartedEventAttributes)!;
      const childId = started.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.workflowId!;
      expect(temporal.record.error!.message).toContain(childId);
      for (const side of [local, temporal]) {
        expect(side.record.error!.message).toContain('card refused');
        expect(side.activities['t.undo']!.inputs).toEqual(['child-unbook', 'parent-refund']);
      }
    },
  },
  ...callFailures(false),
  ...callFailures(true),
  maxElapsedRoomy,
  {
    name: 'continue-as-new: a 30-iteration top-level while gives the local record',
    yaml: workflow(`
      - { id: init, set: { n: 0, sum: 0 } }
      - id: loop
        while: { "<": [{ var: n }, 30] }
        steps:
          - { id: bump, set: { n: { "+": [{ var: n }, 1] } } }
          - { id: add, call: t.echo, with: { var: n }, result: got }
          - { id: acc, set: { sum: { "+": [{ var: sum }, { var: got }] } } }
    `),
    activities: () => [act('t.echo')],
    continueAfterEvents: 20,
    want: { status: 'completed', output: { n: 30, sum: 465, got: 30 } },
    check: async ({ temporal }) => {
      expect(temporal.activities['t.echo']!.count).toBe(30);
      // It did continue as new.
      const first = await env.client.workflow.getHandle(temporal.handle.workflowId, temporal.handle.firstExecutionRunId).fetchHistory();
      expect(first.events!.at(-1)!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    },
  },
  cancelInFlight(false),
  cancelInFlight(true),
  failFastSibling,
  foreachCancel,
  maxElapsedShort,
  maxElapsedInFlight,
];

// -- the two sides --------------------------------------------------------------


function checkWant(c: Case, record: RunRecord, engine: string): void {
  const want = c.want;
  if (!want) return;
  const got = comparableRecord(record);
  const where = `${engine}: ${JSON.stringify(got, null, 1)}`;
  expect(got.status, where).toBe(want.status);
  if (want.error) expect(got.error, where).toMatchObject(want.error);
  if (want.output !== undefined) expect(got.output, where).toEqual(want.output);
  for (const [key, line] of Object.entries(want.steps ?? {})) {
    const step = record.steps.find((s) => s.key === key);
    if (line === null) expect(step, `${where}\n(step ${key} must not run)`).toBeUndefined();
    else expect(step && stepLine(step), `${where}\n(step ${key})`).toBe(line);
  }
}

/** The activities a case gets on one engine. */
function fresh(c: Case): Activities {
  return byName(c.activities?.() ?? []);
}

async function runLocal(c: Case): Promise<LocalSide> {
  const activities = fresh(c);
  const result = await runWorkflow(c.yaml, {
    activities: Object.values(activities),
    ...(c.input !== undefined && { input: c.input }),
    ...(c.files && { files: c.files }),
    async before(run) {
      for (const s of c.signals ?? []) run.signal(s.name, s.payload);
      if (c.cancelWhen) {
        await until(() => c.cancelWhen!(activities), 'the point to cancel at');
        run.cancel();
      }
    },
  });
  return { ...result, activities };
}

/** The activities the Temporal worker's routers send calls to. */
let current: Activities = {};

async function runTemporal(c: Case): Promise<TemporalSide> {
  const activities = fresh(c);
  current = activities;
  const result = await env.run(c.yaml, {
    ...(c.input !== undefined && { input: c.input }),
    ...(c.files && { files: c.files }),
    ...(c.continueAfterEvents !== undefined && { continueAfterEvents: c.continueAfterEvents }),
    async before(handle) {
      for (const s of c.signals ?? []) await handle.signal(s.name, s.payload);
      if (c.cancelWhen) {
        await eventually(async () => c.cancelWhen!(activities), 'the point to cancel at');
        await handle.cancel();
      }
    },
  });
  return { ...result, activities };
}

/** One router per activity name of the corpus, with the schemas and defaults its cases give it. */
function routers(): ActivityDefinition[] {
  const specs = new Map<string, TestActivity>();
  for (const c of CASES) {
    for (const a of c.activities?.() ?? []) {
      const known = specs.get(a.name);
      const spec = (x: TestActivity): string => JSON.stringify([x.input, x.output, x.defaults ?? null]);
      if (known && spec(known) !== spec(a)) throw new Error(`two cases declare ${a.name} with different schemas or defaults: rename one`);
      specs.set(a.name, a);
    }
  }
  return [...specs.values()].map((a) => ({
    name: a.name,
    input: a.input,
    output: a.output,
    ...(a.defaults && { defaults: a.defaults }),
    run(input, context) {
      const target = current[a.name];
      if (!target) throw new Error(`${a.name} is not an activity of the running case`);
      return target.run(input, context);
    },
  }));
}

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await temporalEnv(routers());
});
afterAll(async () => {
  await env?.close();
});

describe('the local and the Temporal engine give the same run record', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const local = await runLocal(c);
      checkWant(c, local.record, 'local');
      const temporal = await runTemporal(c);
      expect(temporal.record.engine).toBe('temporal');
      expect(comparableRecord(temporal.record), `Temporal vs local (${c.name})`).toEqual(comparableRecord(local.record));
      // Each activity ran as often on both engines (retries, compensations, cancelled calls).
      const counts = (side: Activities) => Object.fromEntries(Object.values(side).map((a) => [a.name, a.count]));
      expect(counts(temporal.activities), 'calls per activity, Temporal vs local').toEqual(counts(local.activities));
      await c.check?.({ local, temporal });
      // Nothing of this case may still be running when the next one takes the routers over.
      await eventually(async () => Object.values(temporal.activities).every((a) => a.calls.every((call) => call.ended !== 'running')), 'the case’s activities to end', 10_000);
    });
  }
});
