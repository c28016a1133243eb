/**
 * Runs one test case: a fresh local engine with a virtual clock and journals in
 * memory, the case's mocks in front of the activities, its signals on schedule;
 * then the run (and any child still running) is compared with what the case expects.
 */
import type { Json } from '../../interpreter/model.js';
import { readInput } from '../load/input.js';
import { UsageError } from '../errors.js';
import { VirtualClock } from '../local/clock.js';
import { InvalidRunInput } from '../local/engine.js';
import { runInMemory } from '../local/in-memory-run.js';
import { checkExpectations } from './expectations.js';
import { caseActivities } from './mock-activities.js';
import type { PreparedFile } from './prepare-file.js';
import type { CaseResult, Failure } from './report.js';
import { SignalSchedule } from './signal-schedule.js';
import { besideTestFile, type TestCase, type TestFile } from './test-file.js';

export async function runCase(test: TestFile, prepared: PreparedFile, testCase: TestCase): Promise<CaseResult> {
  const started = performance.now();
  const { failures, virtualMs } = await failuresOf(test, prepared, testCase);
  const base = ['cases', testCase.index];
  const lineOf = (path: readonly (string | number)[]) => test.source.rangeOf([...base, ...path]).line;
  return {
    name: testCase.name,
    index: testCase.index,
    line: lineOf([]),
    passed: failures.length === 0,
    failures: failures.map((f) => ({ ...f, line: lineOf(f.path) })),
    wallMs: performance.now() - started,
    ...(virtualMs !== undefined && { virtualMs }),
  };
}

async function failuresOf(test: TestFile, prepared: PreparedFile, testCase: TestCase): Promise<{ failures: Failure[]; virtualMs?: number }> {
  let input: Json;
  try {
    input = testCase.inputFile !== undefined ? await readInput({ inputFile: besideTestFile(test, testCase.inputFile) }) : (testCase.input ?? {});
  } catch (error) {
    if (error instanceof UsageError) return { failures: [{ path: ['inputFile'], message: error.message }] };
    throw error;
  }
  const activities = caseActivities({
    real: prepared.real,
    codeless: prepared.codeless,
    mocks: [testCase.mocks ?? {}, test.content.mocks ?? {}],
    unmocked: test.content.unmocked ?? 'real',
  });
  const schedule = new SignalSchedule(testCase.signals ?? [], testCase.cancel?.at, prepared.index.waits);
  const clock = new VirtualClock();
  let ran;
  try {
    ran = await runInMemory({
      bundle: prepared.bundle,
      input,
      activities: activities.definitions,
      clock,
      onEvent: (run, event) => schedule.onEvent(run, event),
      started: (run) => schedule.start(run, clock),
    });
  } catch (error) {
    if (error instanceof InvalidRunInput) return { failures: [{ path: [testCase.inputFile !== undefined ? 'inputFile' : 'input'], message: `${error.message}; nothing was run` }] };
    throw error;
  }
  const failures = schedule.finish(ran.elapsedMs);
  // Children started with `wait: false` may still be running: their calls count too.
  await Promise.all([...ran.engine.runs.values()].map((r) => r.done.catch(() => undefined)));
  for (const call of activities.unanswered) failures.push({ path: ['mocks'], message: `step \`${call.step}\` called \`${call.activity}\`, which this case cannot answer: ${call.reason}` });
  const observed = { outcome: ran.outcome, record: ran.run.record, calls: activities.calls, elapsedMs: ran.elapsedMs };
  failures.push(...checkExpectations(testCase.expect ?? {}, observed));
  return { failures, virtualMs: ran.elapsedMs };
}
