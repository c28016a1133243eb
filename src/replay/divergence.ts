/**
 * Where a replay and a recording of the same run part ways: the first step (in the
 * order the recording has them) whose kind, activity, input, outcome or decision
 * differs, or that only one of them ran. Steps are matched by key, so concurrent
 * branches finishing in another order are not a difference.
 */
import type { Decision, HistoryEvent, StepKey } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';

export interface Divergence {
  /** The step instance key (`loop[2]/charge`). */
  key: StepKey;
  /** What differs, for a person to read. */
  message: string;
}

export interface StepView {
  key: StepKey;
  kind: string;
  activity?: string;
  input?: Json;
  status: 'running' | 'completed' | 'failed' | 'skipped';
  output?: Json;
  errorType?: string;
  decision?: Decision;
}

/** The steps of an event stream, by key, in the order they first appear. */
export function stepsOf(events: readonly HistoryEvent[]): Map<StepKey, StepView> {
  const steps = new Map<StepKey, StepView>();
  for (const event of events) {
    switch (event.type) {
      case 'step.started':
        steps.set(event.key, { key: event.key, kind: event.kind, status: 'running', ...(event.activity !== undefined && { activity: event.activity }), ...(event.input !== undefined && { input: event.input }) });
        break;
      case 'step.skipped':
        steps.set(event.key, { key: event.key, kind: event.kind, status: 'skipped' });
        break;
      case 'step.completed': {
        const step = steps.get(event.key);
        if (step) Object.assign(step, { status: 'completed' }, event.output !== undefined && { output: event.output });
        break;
      }
      case 'step.failed': {
        const step = steps.get(event.key);
        if (step) Object.assign(step, { status: 'failed', errorType: event.error.type });
        break;
      }
      case 'step.decision': {
        const step = steps.get(event.key);
        if (step) step.decision = event.decision;
        break;
      }
    }
  }
  return steps;
}

/**
 * `recordingEnded`: the recorded run had ended. When it had not, a step the replay
 * started but could not finish is where the recording stops, not a difference.
 */
export function firstDivergence(recorded: readonly HistoryEvent[], replayed: readonly HistoryEvent[], options: { recordingEnded: boolean }): Divergence | undefined {
  const before = stepsOf(recorded);
  const now = stepsOf(replayed);
  // The replay's own order, with each step it alone ran placed right after the recorded step before it.
  const order: StepKey[] = [...before.keys()];
  let previous = -1;
  for (const key of now.keys()) {
    const at = order.indexOf(key);
    if (at >= 0) previous = at;
    else order.splice(++previous, 0, key);
  }
  const found = order.map((key) => ({ key, difference: compare(key, before.get(key), now.get(key), options.recordingEnded) })).filter((d) => d.difference);
  // A step the replay cannot finish (a parallel, a loop) is waiting on the real difference inside it: report that one.
  const first = found.find((d) => !d.difference!.unfinished) ?? found[0];
  return first && { key: first.key, message: first.difference!.message };
}

/**
 * How step `key` differs between a recording (`was`) and a replay (`is`), if it does;
 * `unfinished`: the replay could not finish a step the recording had ended (usually the
 * effect of a difference inside it).
 */
export function compare(key: StepKey, was: StepView | undefined, is: StepView | undefined, recordingEnded: boolean): { message: string; unfinished?: true } | undefined {
  const message = difference(key, was, is, recordingEnded);
  if (message === undefined) return undefined;
  return message === UNFINISHED ? { message: `step "${key}" ${was!.status} in the recorded run; the replay cannot finish it (it waits on something the recording does not hold)`, unfinished: true } : { message };
}

/** The replay could not finish a step the recording had ended: usually the effect of a difference inside it. */
const UNFINISHED = Symbol('unfinished');

function difference(key: StepKey, was: StepView | undefined, is: StepView | undefined, recordingEnded: boolean): string | typeof UNFINISHED | undefined {
  if (!is) {
    return was!.status === 'running' && !recordingEnded
      ? undefined
      : `step "${key}" (${was!.kind}) ran in the recorded run; this definition does not reach it (removed, renamed, or no longer on this path)`;
  }
  if (!was) {
    if (is.status === 'running' && !recordingEnded) return undefined;
    return `step "${key}" (${is.kind}) runs here with this definition; the recorded run did not run it`;
  }
  if (was.kind !== is.kind) return `step "${key}" was a ${was.kind} step in the recorded run; it is a ${is.kind} step now`;
  if (was.activity !== is.activity) return `step "${key}": the recorded run called ${was.activity}; this definition calls ${is.activity}`;
  if (!same(was.input, is.input)) return `step "${key}": its input differs (recorded ${short(was.input)}, now ${short(is.input)})`;
  if (was.status === 'skipped' || is.status === 'skipped') {
    return was.status === is.status ? undefined : `step "${key}" was ${was.status} in the recorded run; it is ${is.status} now (its \`when\` decides differently)`;
  }
  if (!same(was.decision, is.decision)) return `step "${key}": the recorded run decided ${short(was.decision)}; this definition decides ${short(is.decision)}`;
  // A step still running in the recording may end either way in the replay; the rest must end alike.
  if (was.status === 'running') return undefined;
  if (is.status === 'running') return UNFINISHED;
  if (was.status !== is.status) return `step "${key}" ${was.status} in the recorded run; it ${is.status} now`;
  if (was.status === 'failed' && was.errorType !== is.errorType) return `step "${key}" failed with ${was.errorType} in the recorded run; with ${is.errorType} now`;
  if (!same(was.output, is.output)) return `step "${key}": its output differs (recorded ${short(was.output)}, now ${short(is.output)})`;
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so key order does not count as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? 'undefined';
}

function short(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
