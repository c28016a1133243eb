/**
 * Runs workflow texts through the local engine (in-memory journal, virtual clock),
 * with test activities that count their calls and can be scripted call by call.
 *
 *   const flaky = testActivity('t.flaky', { script: [fails('Transient'), fails('Transient')] });
 *   const { outcome, record } = await runWorkflow(yaml, { activities: [flaky] });
 *   expect(flaky.calls).toHaveLength(3);
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { CallOptions, Json, JsonSchema } from '../../interpreter/model.js';
import type { RunOutcome } from '../../interpreter/run.js';
import { WorkflowError } from '../../interpreter/errors.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { specOf } from '../../src/activities/catalog.js';
import type { ActivityContext, ActivityDefinition, ActivitySpec } from '../../src/activities/types.js';
import type { RunRecord, StepRecord } from '../../src/history/record.js';
import { buildBundle } from '../../src/load/bundle.js';
import { loadText } from '../../src/load/load.js';
import { WorkflowSet } from '../../src/load/workflow-set.js';
import type { Clock } from '../../src/local/clock.js';
import type { LocalEngine, LocalRun } from '../../src/local/engine.js';
import { runInMemory } from '../../src/local/in-memory-run.js';
import { validateSet } from '../../src/validate/validate.js';

// -- scripted activities ------------------------------------------------------

/** What one call of a test activity does. */
export type Behaviour =
  /** Returns this value. */
  | { kind: 'return'; value: unknown }
  /** Returns the activity's input. */
  | { kind: 'echo' }
  /** Throws a WorkflowError of this type. */
  | { kind: 'fail'; type: string; message?: string; nonRetryable?: boolean; details?: unknown }
  /** Throws a plain Error (the engine turns it into ActivityError). */
  | { kind: 'throw'; message: string }
  /** Never settles on its own: waits for context.signal to abort, then rethrows its reason. */
  | { kind: 'hang' }
  /** Waits `ms` of real time (or until aborted), then behaves as `then`. */
  | { kind: 'delay'; ms: number; then: Behaviour }
  /** Waits for a promise (a gate the test opens), then behaves as `then`. */
  | { kind: 'gate'; gate: Promise<unknown>; then: Behaviour }
  /** Calls heartbeat() every `everyMs` for `forMs` of real time, then behaves as `then`. */
  | { kind: 'heartbeat'; everyMs: number; forMs: number; then: Behaviour }
  /** Any code. */
  | { kind: 'custom'; run: (input: unknown, context: ActivityContext) => Promise<unknown> };

export const returns = (value: unknown): Behaviour => ({ kind: 'return', value });
export const echo = (): Behaviour => ({ kind: 'echo' });
export const fails = (type: string, options: { message?: string; nonRetryable?: boolean; details?: unknown } = {}): Behaviour => ({ kind: 'fail', type, ...options });
export const throwsPlain = (message: string): Behaviour => ({ kind: 'throw', message });
export const hangs = (): Behaviour => ({ kind: 'hang' });
export const delays = (ms: number, then: Behaviour = echo()): Behaviour => ({ kind: 'delay', ms, then });
export const gated = (gate: Promise<unknown>, then: Behaviour = echo()): Behaviour => ({ kind: 'gate', gate, then });
export const custom = (run: (input: unknown, context: ActivityContext) => Promise<unknown>): Behaviour => ({ kind: 'custom', run });
export const heartbeats = (everyMs: number, forMs: number, then: Behaviour = echo()): Behaviour => ({ kind: 'heartbeat', everyMs, forMs, then });

/** One call of a test activity, as it saw it. */
export interface CallRecord {
  /** 0-based order among all calls of this activity. */
  index: number;
  input: unknown;
  attempt: number;
  step: string;
  signal: AbortSignal;
  /** How the call has ended so far. */
  ended: 'running' | 'returned' | 'threw';
  /** What `context.signal` was aborted with, if it was. */
  abortReason?: unknown;
}

export interface TestActivity extends ActivityDefinition {
  readonly calls: CallRecord[];
  /** Number of calls (attempts) so far. */
  readonly count: number;
  /** Inputs of every call, in order. */
  readonly inputs: unknown[];
}

export interface TestActivityOptions {
  input?: JsonSchema;
  output?: JsonSchema;
  defaults?: CallOptions;
  /** Behaviours by call index (0 = first call of this activity, retries included). */
  script?: Behaviour[];
  /** After the script runs out (default: echo the input). */
  otherwise?: Behaviour;
  /** Chooses the behaviour from the call itself (wins over `script`). */
  decide?: (input: unknown, context: ActivityContext, index: number) => Behaviour;
  /** Called for every call as it starts (a shared log, to see the order of calls across activities). */
  onCall?: (call: CallRecord) => void;
}

/** A test activity: counts its calls, records what each saw, behaves as scripted. */
export function testActivity(name: string, options: TestActivityOptions = {}): TestActivity {
  const calls: CallRecord[] = [];
  const activity: TestActivity = {
    name,
    input: options.input ?? true,
    output: options.output ?? true,
    ...(options.defaults && { defaults: options.defaults }),
    calls,
    get count() {
      return calls.length;
    },
    get inputs() {
      return calls.map((c) => c.input);
    },
    async run(input: unknown, context: ActivityContext): Promise<unknown> {
      const index = calls.length;
      const call: CallRecord = { index, input, attempt: context.attempt, step: context.step, signal: context.signal, ended: 'running' };
      calls.push(call);
      context.signal.addEventListener('abort', () => (call.abortReason = context.signal.reason), { once: true });
      options.onCall?.(call);
      const behaviour = options.decide?.(input, context, index) ?? options.script?.[index] ?? options.otherwise ?? echo();
      try {
        const value = await perform(behaviour, input, context);
        call.ended = 'returned';
        return value;
      } catch (error) {
        call.ended = 'threw';
        throw error;
      }
    },
  };
  return activity;
}

async function perform(behaviour: Behaviour, input: unknown, context: ActivityContext): Promise<unknown> {
  switch (behaviour.kind) {
    case 'return':
      return behaviour.value;
    case 'echo':
      return input === undefined ? null : input;
    case 'fail':
      throw new WorkflowError(behaviour.type, behaviour.message ?? `${behaviour.type} (scripted)`, {
        ...(behaviour.nonRetryable !== undefined && { nonRetryable: behaviour.nonRetryable }),
        ...(behaviour.details !== undefined && { details: behaviour.details }),
      });
    case 'throw':
      throw new Error(behaviour.message);
    case 'hang':
      await abortedBy(context.signal);
      throw context.signal.reason;
    case 'delay':
      await Promise.race([realDelay(behaviour.ms), abortedBy(context.signal)]);
      if (context.signal.aborted) throw context.signal.reason;
      return perform(behaviour.then, input, context);
    case 'gate':
      await Promise.race([behaviour.gate, abortedBy(context.signal)]);
      if (context.signal.aborted) throw context.signal.reason;
      return perform(behaviour.then, input, context);
    case 'heartbeat': {
      const end = performance.now() + behaviour.forMs;
      while (performance.now() < end && !context.signal.aborted) {
        context.heartbeat();
        await Promise.race([realDelay(behaviour.everyMs), abortedBy(context.signal)]);
      }
      if (context.signal.aborted) throw context.signal.reason;
      return perform(behaviour.then, input, context);
    }
    case 'custom':
      return behaviour.run(input, context);
  }
}

function abortedBy(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Real time (keep it short: tests must stay fast). */
export function realDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise with its resolve function: a gate a test opens. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Polls (on the event loop, not the virtual clock) until `condition` holds; fails after ~2 s of real time. */
export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  const deadline = performance.now() + 2000;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

// -- running workflows --------------------------------------------------------

export interface RunOptions {
  input?: Json;
  /** Test activities (the built-ins are always there). */
  activities?: ActivityDefinition[];
  clock?: Clock;
  /** Other workflow files of the set, by file name relative to the main file (`child.yaml`). */
  files?: Record<string, string>;
  /** Validate the set first and throw on errors (default true; false to reach the run-time checks). */
  validate?: boolean;
  /** Called right after the run started, before waiting for its end (send signals, cancel…). */
  before?(run: LocalRun): void | Promise<void>;
  /** Every history event of every run of the engine (children included), as it is written. */
  onEvent?(event: HistoryEvent, run: LocalRun): void;
}

export interface RunResult {
  outcome: RunOutcome;
  record: RunRecord;
  run: LocalRun;
  clock: Clock;
  engine: LocalEngine;
  /** Every event of every run, in order, with the run id. */
  events: (HistoryEvent & { runId: string })[];
  /** Virtual time from the start of the run to its end, in ms. */
  elapsedMs: number;
}

const DIR = '/revo-engine-tests';

/** Loads, (validates,) and bundles `yaml` (plus `files`, for children) against the built-ins and `activities`. */
export function testBundle(yaml: string, options: Pick<RunOptions, 'files' | 'activities' | 'validate'> = {}): WorkflowBundle {
  const main = loadText(`${DIR}/main.yaml`, yaml);
  const others = Object.entries(options.files ?? {}).map(([name, text]) => loadText(`${DIR}/${name}`, text));
  for (const file of [main, ...others]) {
    if (file.definition === undefined) throw new Error(`${file.file} does not load: ${file.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  }
  const set = new WorkflowSet([main, ...others]);
  const catalog = new Map<string, ActivitySpec>([...BUILTIN_ACTIVITIES, ...(options.activities ?? [])].map((d) => [d.name, specOf(d)]));
  if (options.validate !== false) {
    const errors = validateSet(set, { catalog }).filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`the test workflow is invalid:\n${errors.map((d) => `${d.file}:${d.line}:${d.col} ${d.rule}: ${d.message}`).join('\n')}`);
  }
  return buildBundle(main, set, catalog);
}

/** Loads, (validates,) bundles and runs `yaml`; resolves when the run has ended. */
export async function runWorkflow(yaml: string, options: RunOptions = {}): Promise<RunResult> {
  const bundle = testBundle(yaml, options);
  const definitions: ActivityDefinition[] = [...BUILTIN_ACTIVITIES, ...(options.activities ?? [])];
  const events: RunResult['events'] = [];
  const { outcome, run, engine, clock, elapsedMs } = await runInMemory({
    bundle,
    input: options.input ?? {},
    activities: definitions,
    ...(options.clock && { clock: options.clock }),
    onEvent: (run, event) => {
      events.push({ ...event, runId: run.runId });
      options.onEvent?.(event, run);
    },
    ...(options.before && { started: options.before }),
  });
  return { outcome, record: run.record, run, clock, engine, events, elapsedMs };
}

/** The record of a step instance by key (`id`, `loop[2]/id`, `call~/undo`); throws when absent. */
export function stepOf(record: RunRecord, key: string): StepRecord {
  const step = record.steps.find((s) => s.key === key);
  if (!step) throw new Error(`no step "${key}" in the record (steps: ${record.steps.map((s) => s.key).join(', ')})`);
  return step;
}

/** `key status` of every step, in record order: compact to assert on. */
export function statuses(record: RunRecord): string[] {
  return record.steps.map((s) => `${s.key} ${s.status}`);
}

/** A workflow text: `header` (top-level keys) and `steps` are YAML, indented as the caller likes. */
export function workflow(steps: string, header = '', name = 'test-workflow'): string {
  return `revo: 1\nname: ${name}\n${dedent(header, '')}steps:\n${dedent(steps, '  ')}`;
}

/** Removes the common indentation of a template literal's lines and indents them by `by`. */
export function dedent(text: string, by = ''): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  const margin = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => `${by}${l.slice(margin)}`).join('\n') + '\n';
}
