/**
 * Compares what a case expects with what its run did. Each kind of expectation is
 * one small function giving failures located at the expectation's path, so the
 * report can say which line of the test file did not hold.
 */
import { formatDuration, parseDuration } from '../../interpreter/duration.js';
import type { RunOutcome } from '../../interpreter/run.js';
import type { RunRecord, StepRecord } from '../history/record.js';
import type { JsonPath } from '../load/source-map.js';
import { formatPath } from '../validate/schema-messages.js';
import { differences, matches } from './match.js';
import type { CallRecord } from './mock-activities.js';
import type { Failure } from './report.js';
import type { Expectations, StepLists } from './test-file.js';
import { idOfKey } from './workflow-index.js';

/** What a case's run did. */
export interface Observed {
  outcome: RunOutcome;
  record: RunRecord;
  calls: readonly CallRecord[];
  elapsedMs: number;
}

export function checkExpectations(expect: Expectations, observed: Observed): Failure[] {
  const at = (...path: JsonPath): JsonPath => ['expect', ...path];
  const failures: Failure[] = [];
  // Without `status`, a case expects the run to complete, unless it expects an error: a failing run never passes unnoticed.
  const status = expect.status ?? (expect.error === undefined ? 'completed' : undefined);
  if (status !== undefined && status !== observed.outcome.status) {
    failures.push({ path: at('status'), message: 'the run ended differently', expected: status, actual: describeOutcome(observed.outcome) });
  }
  if (expect.output !== undefined) failures.push(...valueFailures(at('output'), 'output', expect.output, observed.outcome.output));
  if (expect.error !== undefined) failures.push(...valueFailures(at('error'), 'error', expect.error, observed.outcome.error));
  if (expect.steps !== undefined) failures.push(...stepFailures(expect.steps, observed.record));
  for (const [step, count] of Object.entries(expect.attempts ?? {})) failures.push(...attemptFailures(step, count, observed.record));
  if (expect.compensations !== undefined) failures.push(...compensationFailures(expect.compensations, observed.record));
  for (const [name, inputs] of Object.entries(expect.calls ?? {})) failures.push(...callFailures(name, inputs, observed.calls));
  if (expect.logs !== undefined) failures.push(...logFailures(expect.logs, observed.record));
  if (expect.duration !== undefined) {
    const wanted = parseDuration(expect.duration);
    if (wanted !== observed.elapsedMs) failures.push({ path: at('duration'), message: 'the run took a different (virtual) time', expected: expect.duration, actual: formatDuration(observed.elapsedMs) });
  }
  return failures;
}

/** How a run ended, in one line: `completed`, `failed (CardDeclined at step charge: card … declined)`. */
export function describeOutcome(outcome: RunOutcome): string {
  const { error } = outcome;
  if (!error) return outcome.status;
  return `${outcome.status} (${error.type}${error.step ? ` at step ${error.step}` : ''}: ${error.message})`;
}

function valueFailures(path: JsonPath, what: string, expected: unknown, actual: unknown): Failure[] {
  if (actual === undefined) return [{ path, message: `the run has no ${what}`, expected, missing: true }];
  return differences(expected, actual).map((d) => ({
    path: [...path, ...d.path],
    message: d.missing ? `the ${what} has no \`${formatPath(d.path)}\`` : d.path.length > 0 ? `\`${what}.${formatPath(d.path)}\` differs` : `the ${what} differs`,
    expected: d.expected,
    ...(d.missing ? { missing: true } : { actual: d.actual }),
  }));
}

/** The instances of a step in the record: by key (`loop#2/remind`) or, for a plain id, every instance of that id. */
function instances(record: RunRecord, name: string): StepRecord[] {
  return record.steps.filter((s) => s.key === name || s.id === name);
}

const RAN = (s: StepRecord) => s.status !== 'skipped';
const STEP_CHECKS: Record<keyof StepLists, { holds: (found: StepRecord[]) => boolean; says: string }> = {
  taken: { holds: (found) => found.some(RAN), says: 'to run' },
  skipped: { holds: (found) => found.some((s) => s.status === 'skipped'), says: 'to be skipped' },
  notTaken: { holds: (found) => !found.some(RAN), says: 'not to run' },
  completed: { holds: (found) => found.some((s) => s.status === 'completed' || s.status === 'compensated'), says: 'to complete' },
  failed: { holds: (found) => found.some((s) => s.status === 'failed'), says: 'to fail' },
};

function stepFailures(lists: StepLists, record: RunRecord): Failure[] {
  const failures: Failure[] = [];
  for (const [list, check] of Object.entries(STEP_CHECKS) as [keyof StepLists, (typeof STEP_CHECKS)[keyof StepLists]][]) {
    (lists[list] ?? []).forEach((name, i) => {
      const found = instances(record, name);
      if (check.holds(found)) return;
      failures.push({ path: ['expect', 'steps', list, i], message: `expected step \`${name}\` ${check.says}`, actual: found.length === 0 ? 'never reached' : found.map((s) => `${s.key} ${s.status}`).join(', ') });
    });
  }
  return failures;
}

function attemptFailures(name: string, count: number, record: RunRecord): Failure[] {
  const found = instances(record, name).filter(RAN);
  const path = ['expect', 'attempts', name];
  if (found.length === 0) return [{ path, message: `step \`${name}\` never ran`, expected: count, missing: true }];
  return found
    .filter((s) => (s.attempts ?? 1) !== count)
    .map((s) => ({ path, message: `step \`${s.key}\` made a different number of attempts${attemptErrors(s)}`, expected: count, actual: s.attempts ?? 1 }));
}

function attemptErrors(step: StepRecord): string {
  const errors = (step.failedAttempts ?? []).map((f) => f.error.type);
  return errors.length > 0 ? ` (failed attempts: ${errors.join(', ')})` : '';
}

/** Each entry names the call undone (`charge`) or a step of its compensation (`refund`). */
function compensationFailures(expected: string[], record: RunRecord): Failure[] {
  const ran = record.compensations.map((key) => ({ key, names: new Set([key, idOfKey(key), ...record.steps.filter((s) => s.key.startsWith(`${key}~/`)).map((s) => s.id)]) }));
  const same = ran.length === expected.length && expected.every((name, i) => ran[i]!.names.has(name));
  if (same) return [];
  return [{ path: ['expect', 'compensations'], message: 'different compensations ran', expected, actual: ran.map((r) => r.key) }];
}

/** Calls by step id or activity name, in order; the count must match. */
function callFailures(name: string, inputs: unknown[], calls: readonly CallRecord[]): Failure[] {
  const made = calls.filter((c) => c.step === name || c.activity === name).map((c) => c.input);
  const path = ['expect', 'calls', name];
  if (made.length !== inputs.length) return [{ path, message: `\`${name}\` was called ${made.length} time(s), expected ${inputs.length}`, expected: inputs, actual: made }];
  return inputs.flatMap((input, i) =>
    differences(input, made[i]).map((d) => ({
      path: [...path, i, ...d.path],
      message: `call ${i + 1} of \`${name}\`: ${d.path.length > 0 ? `\`${formatPath(d.path)}\` ${d.missing ? 'is missing' : 'differs'}` : 'different input'}`,
      expected: d.expected,
      ...(d.missing ? { missing: true } : { actual: d.actual }),
    })),
  );
}

/** Every expected entry must match a logged message, in order (other messages may come between). */
function logFailures(expected: unknown[], record: RunRecord): Failure[] {
  let from = 0;
  for (const [i, entry] of expected.entries()) {
    const found = record.logs.findIndex((log, j) => j >= from && matches(entry, log));
    if (found < 0) {
      return [{ path: ['expect', 'logs', i], message: 'no such message was logged (after the ones before it)', expected: entry, actual: record.logs.map(({ level, message }) => ({ level, message })) }];
    }
    from = found + 1;
  }
  return [];
}
