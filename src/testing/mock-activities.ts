/**
 * The activities of one test case: every activity is wrapped so that a mock for the
 * calling step, else for the activity, answers instead of its code, and every call is
 * logged for `expect.calls`. A mocked activity keeps its real input and output
 * schemas and default options, so a mock cannot return what the activity never
 * could, and retries behave as they will in production.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import type { Json } from '../../interpreter/model.js';
import type { ActivityContext, ActivityDefinition } from '../activities/types.js';
import type { Answer, Mock, Mocks } from './test-file.js';

/** One call an activity received (its first attempt; retries are not repeated). */
export interface CallRecord {
  activity: string;
  step: string;
  input: Json;
}

/** A call the test could not answer (unmocked with `unmocked: error`, or no code and no mock). */
export interface UnansweredCall {
  activity: string;
  step: string;
  reason: string;
}

export interface CaseActivities {
  definitions: ActivityDefinition[];
  calls: CallRecord[];
  unanswered: UnansweredCall[];
}

export interface MockOptions {
  /** Activities with code (built-ins and modules), by name. */
  real: ReadonlyMap<string, ActivityDefinition>;
  /** Activities the workflow calls that no module defines: only mocks can answer them. */
  codeless: Iterable<string>;
  /** Layers of mocks, the one that wins first (the case's own, then the file's). */
  mocks: readonly Mocks[];
  unmocked: 'real' | 'error';
}

export function caseActivities(options: MockOptions): CaseActivities {
  const calls: CallRecord[] = [];
  const unanswered: UnansweredCall[] = [];
  /** Calls answered so far per mock key, for `sequence` mocks. */
  const callCounts = new Map<string, number>();

  const wrap = (name: string, real: ActivityDefinition | undefined): ActivityDefinition => ({
    name,
    input: real?.input ?? true,
    output: real?.output ?? true,
    ...(real?.defaults && { defaults: real.defaults }),
    ...(real?.description && { description: real.description }),
    async run(input: unknown, context: ActivityContext): Promise<unknown> {
      if (context.attempt === 1) calls.push({ activity: name, step: context.step, input: structuredClone(input) as Json });
      const found = findMock(options.mocks, context.step, name);
      let answer: Answer | undefined;
      if (found) {
        const count = (callCounts.get(found.id) ?? 0) + 1;
        callCounts.set(found.id, count);
        answer = pick(found.mock, context.attempt, count);
      }
      if (answer === undefined && options.unmocked === 'error') return refuse(name, context, 'no mock covers it and the test file says `unmocked: error`; add a mock for the step or the activity');
      if (answer === undefined || 'real' in answer) {
        if (!real) return refuse(name, context, 'no activity module defines it and no mock answers this call; add a mock for the step or the activity');
        return real.run(input, context);
      }
      if ('error' in answer) {
        const { type, message, details, nonRetryable } = answer.error;
        throw new WorkflowError(type, message ?? `${type} (mocked)`, { ...(details !== undefined && { details }), ...(nonRetryable !== undefined && { nonRetryable }) });
      }
      return structuredClone(answer.result);
    },
  });

  const refuse = (activity: string, context: ActivityContext, reason: string): never => {
    unanswered.push({ activity, step: context.step, reason });
    throw new WorkflowError('Unmocked', `step "${context.step}" called activity "${activity}": ${reason}`, { nonRetryable: true });
  };

  const definitions = [...options.real.values()].map((d) => wrap(d.name, d));
  for (const name of options.codeless) if (!options.real.has(name)) definitions.push(wrap(name, undefined));
  return { definitions, calls, unanswered };
}

/** The mock for a call: the first layer with one for the step id, else for the activity. */
function findMock(layers: readonly Mocks[], step: string, activity: string): { mock: Mock; id: string } | undefined {
  for (const [layer, mocks] of layers.entries()) {
    for (const key of [step, activity]) {
      if (Object.prototype.hasOwnProperty.call(mocks, key)) return { mock: mocks[key]!, id: `${layer}:${key}` };
    }
  }
  return undefined;
}

/** The answer of a mock for this attempt of a step (per-attempt lists) or this call overall (sequences); the last answer repeats. */
function pick(mock: Mock, attempt: number, call: number): Answer {
  if (Array.isArray(mock)) return mock[Math.min(attempt, mock.length) - 1]!;
  if ('sequence' in mock) return mock.sequence[Math.min(call, mock.sequence.length) - 1]!;
  return mock;
}
