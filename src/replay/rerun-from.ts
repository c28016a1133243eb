/**
 * Re-running from a step (docs/replay.md#re-run-from-a-step): which step instance
 * `--from` names in the recorded run, which recorded steps come before it — those are
 * answered from the record in the new run — and the check that the definition the new
 * run uses takes those steps exactly as recorded (a replay of it up to the step).
 *
 * "Before", on the definition's structure and the instance keys:
 * - in a sequence (the top level, a branch, a loop body, a `switch` case, a `try`,
 *   `catch` or `finally` block), every earlier step and everything nested in it;
 *   a `try` block comes before its `catch` clauses, and those before its `finally`;
 * - in a `while`, every step of an earlier iteration; in a `foreach`, every step of an
 *   earlier item (items are taken in order, whatever the `concurrency`);
 * - in a `parallel`, the other branches are independent of the step's branch (each
 *   works on its own copy of the variables): their steps are reused where they ended
 *   there on their own, and run again where they did not.
 * The steps that enclose the step (the loop, the branch, the `try` it is in) are entered
 * again, live; the step itself, what is nested in it and what comes after it run live.
 * Compensation steps never are reused, nor is a step stopped by a cancellation.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Cancellation } from '../../interpreter/cancellation.js';
import type { HistoryEvent, StepKey } from '../../interpreter/history.js';
import { stepKind, type Step, type WorkflowDefinition } from '../../interpreter/model.js';
import { Interpreter } from '../../interpreter/run.js';
import type { ActivityOutcome, ChildOutcome, RunInfo, Runtime } from '../../interpreter/runtime.js';
import { sequencesOf } from '../../interpreter/walk.js';
import { RerunRefusedError } from '../errors.js';
import { RunRecorder, type StepRecord } from '../history/record.js';
import { ReusingRuntime, type ReusedStep, type ReusePlan } from '../sandboxed/reuse.js';
import { didYouMean } from '../validate/suggest.js';
import { compare, stepsOf } from './divergence.js';
import type { ReplaySource } from './source.js';

// -- the definition's structure --------------------------------------------------------

/** A step (or a parallel branch) of a definition, placed in the sequence it is in. */
interface Node {
  id: string;
  kind: string;
  parent?: Node;
  /** Which of the parent's nested sequences it is in (document order: try, catch…, finally; cases, default; branches). */
  seq: number;
  /** Its index in that sequence. */
  index: number;
  /** Inside a `compensate` block. */
  compensation: boolean;
}

/** Every step and branch of a definition by id (ids are unique in a file, branches included). */
export function definitionNodes(definition: WorkflowDefinition): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const visit = (steps: readonly Step[], parent: Node | undefined, seq: number, compensation: boolean) => {
    steps.forEach((step, index) => {
      const node: Node = { id: step.id, kind: stepKind(step), seq, index, compensation, ...(parent && { parent }) };
      nodes.set(step.id, node);
      sequencesOf(step, []).forEach((nested, i) => {
        if (nested.role === 'branch') {
          const branch = (step as { parallel: { id: string }[] }).parallel[i]!;
          const group: Node = { id: branch.id, kind: 'branch', parent: node, seq: i, index: 0, compensation };
          nodes.set(branch.id, group);
          visit(nested.steps, group, 0, compensation);
        } else visit(nested.steps, node, i, compensation || nested.role === 'compensate');
      });
    });
  };
  visit(definition.steps, undefined, 0, false);
  return nodes;
}

function chainOf(node: Node): Node[] {
  const chain: Node[] = [];
  for (let n: Node | undefined = node; n; n = n.parent) chain.unshift(n);
  return chain;
}

// -- instance keys -------------------------------------------------------------------

interface ParsedKey {
  id: string;
  /** The iteration of each enclosing loop, by the loop's id. */
  iterations: Map<string, number>;
  compensation: boolean;
}

/** `ship[2]/poll#3/check` → id `check`, iterations { ship: 2, poll: 3 }; undefined when it is not a step key. */
export function parseKey(key: string): ParsedKey | undefined {
  const segments = key.split('/');
  const id = segments.pop()!;
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(id)) return undefined;
  const iterations = new Map<string, number>();
  let compensation = false;
  for (const segment of segments) {
    const loop = /^([A-Za-z][A-Za-z0-9_-]*)(?:\[(\d+)\]|#(\d+))$/.exec(segment);
    if (loop) iterations.set(loop[1]!, Number(loop[2] ?? loop[3]));
    else if (/^[A-Za-z][A-Za-z0-9_-]*~$/.test(segment)) compensation = true;
    else return undefined;
  }
  return { id, iterations, compensation };
}

/** The key of `node`'s instance in the iterations `of` (those of a step nested in it). */
function instanceKey(node: Node, of: ParsedKey): StepKey {
  const prefix = chainOf(node)
    .slice(0, -1)
    .filter((n) => n.kind === 'foreach' || n.kind === 'while')
    .map((n) => `${n.id}${n.kind === 'foreach' ? `[${of.iterations.get(n.id)}]` : `#${of.iterations.get(n.id)}`}/`)
    .join('');
  return prefix + node.id;
}

export type Relation =
  /** Ends before the step starts, in every run of the definition. */
  | 'before'
  /** In another branch of a parallel the step is in. */
  | 'independent'
  /** Encloses the step (a loop, branch or block it is in). */
  | 'encloses'
  /** The step itself, nested in it, or after it. */
  | 'self'
  | 'inside'
  | 'after';

/** Where step instance `s` stands to step instance `f` (both in `nodes`' definition). */
export function relation(s: { node: Node; key: ParsedKey }, f: { node: Node; key: ParsedKey }): Relation {
  const cs = chainOf(s.node);
  const cf = chainOf(f.node);
  for (let k = 0; ; k++) {
    const a = cs[k];
    const b = cf[k];
    if (a === undefined) return b === undefined ? 'self' : 'encloses';
    if (b === undefined) return 'inside';
    if (a !== b) {
      if (k > 0 && cs[k - 1]!.kind === 'parallel') return 'independent';
      return a.seq < b.seq || (a.seq === b.seq && a.index < b.index) ? 'before' : 'after';
    }
    if ((a.kind === 'foreach' || a.kind === 'while') && cs[k + 1] !== undefined && cf[k + 1] !== undefined) {
      const is = s.key.iterations.get(a.id) ?? 0;
      const it = f.key.iterations.get(a.id) ?? 0;
      if (is !== it) return is < it ? 'before' : 'after';
    }
  }
}

// -- the plan --------------------------------------------------------------------------

export interface RerunFrom {
  /** The step instance the new run goes live at. */
  from: StepKey;
  plan: ReusePlan;
}

/**
 * The plan of a re-run of `source` from step `from` (an id, or an instance key such as
 * `lines[2]/ship`) with `bundle` (the recorded definition, or a fixed one named
 * `definitionLabel`). RerunRefusedError, with why, when it cannot be honoured.
 */
export async function rerunFrom(source: ReplaySource, from: string, bundle: WorkflowBundle, definitionLabel: string): Promise<RerunFrom> {
  const refuse = (reason: string): never => {
    throw new RerunRefusedError(source.runId, from, `cannot re-run ${source.runId} from step "${from}": ${reason}; nothing was run`);
  };
  if (source.temporalReplay?.ok === false) refuse(`its Temporal history does not replay with this workflow code (${source.temporalReplay.problem}), so its steps cannot be read`);
  const ended = source.events.some((e) => e.type === 'run.completed' || e.type === 'run.failed' || e.type === 'run.cancelled');
  if (!ended) {
    refuse(
      `the run has not ended (it is running, or was interrupted); a re-run from a step starts from a finished run — wait for its end, or stop it first with \`revo cancel ${source.runId}\``,
    );
  }
  const record = RunRecorder.fold(source.events);
  const nodes = definitionNodes(source.bundle.definition);
  const key = fromKey(source, record.steps, nodes, from, refuse);
  const target = { node: nodes.get(parseKey(key)!.id)!, key: parseKey(key)! };
  if (target.node.compensation) refuse('it is a compensation step, which runs only while a failed run unwinds; re-run from the step whose failure set it off, or an earlier one');

  // Which recorded steps come before it, and were ended there on their own.
  const byKey = new Map(record.steps.map((s) => [s.key, s]));
  // The whole-run `timeout` stops the running steps with its own Timeout: like a cancellation, not their outcome.
  const runTimeout = record.error?.type === 'Timeout' && record.error.message.startsWith('the run exceeded its timeout') ? record.error.message : undefined;
  const stopped = (step: StepRecord) => step.error?.type === 'Cancelled' || (runTimeout !== undefined && step.error?.type === 'Timeout' && step.error.message === runTimeout);
  const reused: StepRecord[] = [];
  const undone: string[] = [];
  for (const step of record.steps) {
    const parsed = parseKey(step.key);
    const node = parsed && nodes.get(parsed.id);
    if (!parsed || !node || parsed.compensation || node.compensation) continue;
    const where = relation({ node, key: parsed }, target);
    const own = step.status === 'completed' || step.status === 'skipped' || step.status === 'compensated' || (step.status === 'failed' && !stopped(step));
    if (!own) continue;
    if (where === 'independent' && step.status === 'failed' && !failureStayedInBranch(node, parsed, target.node, byKey)) continue;
    if (where !== 'before' && where !== 'independent') continue;
    if (step.status === 'compensated') undone.push(step.key);
    reused.push(step);
  }
  if (undone.length > 0) {
    refuse(
      `step "${undone[0]}" would be reused, but the recorded run undid it when it failed (its compensation ran)${undone.length > 1 ? `, and ${undone.length - 1} more` : ''}; ` +
        `re-run from "${undone[0]}" or an earlier step, so that it runs again`,
    );
  }
  const plan: ReusePlan = { of: source.runId, from: key, steps: planSteps(reused, source.events) };
  await checkPlan(source, plan, bundle, definitionLabel, refuse);
  return { from: key, plan };
}

/** The step instance `from` names in the recorded run. */
function fromKey(source: ReplaySource, steps: readonly StepRecord[], nodes: Map<string, Node>, from: string, refuse: (reason: string) => never): StepKey {
  const { definition } = source.bundle;
  const parsed = parseKey(from);
  if (!parsed) refuse('that is neither a step id nor a step instance key such as `lines[2]/ship` (see them with `revo history ' + source.runId + '`)');
  if (!nodes.has(parsed!.id)) refuse(`workflow "${definition.name}" has no step "${parsed!.id}"${didYouMean(parsed!.id, nodes.keys())}`);
  const instances = steps.filter((s) => s.id === parsed!.id);
  const named = from === parsed!.id ? undefined : from;
  if (instances.length === 0) refuse(`step "${parsed!.id}" was not reached in that run (it never started; see the steps it ran with \`revo history ${source.runId}\`)`);
  if (named !== undefined) {
    if (!instances.some((s) => s.key === named)) {
      refuse(`that instance was not reached in the run; step "${parsed!.id}" ran as ${list(instances.map((s) => s.key))}`);
    }
    return named;
  }
  if (instances.length === 1) return instances[0]!.key;
  const unfinished = instances.find((s) => s.status !== 'completed' && s.status !== 'skipped' && s.status !== 'compensated');
  if (unfinished) return unfinished.key;
  return refuse(`step "${parsed!.id}" ran ${instances.length} times (${list(instances.map((s) => s.key))}) and completed each time; name the one to re-run from, e.g. --from '${instances[0]!.key}'`);
}

function list(keys: string[]): string {
  const shown = keys.slice(0, 5).map((k) => `"${k}"`);
  return keys.length > 5 ? `${shown.join(', ')} and ${keys.length - 5} more` : shown.join(', ');
}

/**
 * A step of another branch failed on its own: reusing its failure is right only when its
 * branch dealt with it (a `try` caught it); a failure that ended the branch runs again.
 */
function failureStayedInBranch(node: Node, key: ParsedKey, target: Node, byKey: Map<StepKey, StepRecord>): boolean {
  const cs = chainOf(node);
  const cf = new Set(chainOf(target));
  const side = cs.find((n) => !cf.has(n))!; // the branch S is in, below the parallel both are in
  return byKey.get(instanceKey(side, key))?.status === 'completed';
}

/** The recorded ends of the reused steps, calls ordered below every call of the new run. */
function planSteps(reused: readonly StepRecord[], events: readonly HistoryEvent[]): ReusedStep[] {
  const ended = new Map<StepKey, number>();
  events.forEach((event, position) => {
    if (event.type === 'step.completed') ended.set(event.key, position);
  });
  const calls = reused.filter((s) => s.kind === 'call' && s.status !== 'failed').sort((a, b) => (ended.get(a.key) ?? 0) - (ended.get(b.key) ?? 0));
  const sequence = new Map(calls.map((s, rank) => [s.key, rank - calls.length]));
  return reused.map((s) => {
    const status = s.status === 'compensated' ? 'completed' : (s.status as ReusedStep['status']);
    return {
      key: s.key,
      kind: s.kind,
      status,
      ...(s.activity !== undefined && { activity: s.activity }),
      ...(s.output !== undefined && status === 'completed' && { output: s.output }),
      ...(s.error !== undefined && status === 'failed' && { error: s.error }),
      ...(s.attempts !== undefined && { attempts: s.attempts }),
      ...(sequence.has(s.key) && { sequence: sequence.get(s.key)! }),
    };
  });
}

// -- the check ---------------------------------------------------------------------------

/**
 * Walks `bundle` on the plan alone (every other operation waits for ever: nothing runs)
 * and compares each reused step with the recording, by key: the new run must reach the
 * step, and take every step before it as the recorded run did.
 */
async function checkPlan(source: ReplaySource, plan: ReusePlan, bundle: WorkflowBundle, definitionLabel: string, refuse: (reason: string) => never): Promise<void> {
  const fromId = parseKey(plan.from)!.id;
  if (!definitionNodes(bundle.definition).has(fromId)) refuse(`${definitionLabel} has no step "${fromId}" any more`);
  const started = source.events.find((e): e is Extract<HistoryEvent, { type: 'run.started' }> => e.type === 'run.started');
  const live = new WaitingRuntime({ workflowId: started?.workflowId ?? source.runId, runId: started?.runId ?? source.runId, engine: started?.engine ?? source.engine });
  const runtime = new ReusingRuntime(live, plan);
  const interpreter = new Interpreter({ bundle, input: source.input }, runtime);
  let settled = false;
  const done = interpreter.run().then(
    () => (settled = true),
    () => (settled = true),
  );
  // Reused answers settle within a turn of the event loop: once a turn passes with nothing new, the walk waits on a live step.
  for (let seen = -1; !settled && seen !== live.events.length; ) {
    seen = live.events.length;
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (settled) await done;
  // What waits now waits for ever; nothing holds on to it once this returns.
  const walked = [...live.events];
  const before = stepsOf(source.events);
  const now = stepsOf(walked);
  const differences = plan.steps
    .map((step) => ({ key: step.key, difference: now.has(step.key) ? compare(step.key, before.get(step.key), now.get(step.key), true) : { message: '' } }))
    .filter((d) => d.difference !== undefined);
  const first = differences.find((d) => !d.difference!.unfinished) ?? differences[0];
  // The first live operation the walk waits on (a new step, or one the recorded run did not end).
  const blocked = [...now.values()].find((s) => s.status === 'running' && !runtime.reuses(s.key) && OPERATIONS.has(s.kind));
  if (first) {
    const why = first.difference!.message
      ? first.difference!.message
      : `step "${first.key}" ran before it in the recorded run, but with ${definitionLabel} the re-run does not get to it before "${plan.from}"${blocked ? ` (it would wait on step "${blocked.key}", which the recorded run did not run there)` : ''}`;
    refuse(`the steps before it must be taken exactly as recorded, and with ${definitionLabel} they are not: ${why}`);
  }
  if (!now.has(plan.from)) {
    const end = walked.find((e) => e.type === 'run.failed' || e.type === 'run.completed');
    const how =
      end?.type === 'run.failed'
        ? `the run would fail before it (${end.error.type}${end.error.step ? ` in step "${end.error.step}"` : ''}: ${end.error.message})`
        : end
          ? 'the run would end before it'
          : blocked && !before.has(blocked.key)
            ? `step "${blocked.key}" (${blocked.kind}) now comes before it, and the recorded run did not run it, so there is no outcome to reuse; re-run from an earlier step, or make the new step come after it`
            : 'the steps before it do not lead there';
    refuse(`with ${definitionLabel} the re-run would not reach it: ${how}`);
  }
  if (walked.some((e) => e.type === 'step.failed' && e.key === plan.from && e.error.type === 'Cancelled')) {
    const failed = plan.steps.find((s) => s.status === 'failed');
    refuse(
      `step "${failed?.key ?? '?'}" failed before it in the recorded run, and the re-run would repeat that failure, which stops "${plan.from}" before it runs; re-run from "${failed?.key ?? 'the step that failed first'}" instead`,
    );
  }
}

/** The kinds of step that ask the Runtime for something. */
const OPERATIONS = new Set(['call', 'sleep', 'wait', 'child']);

/** A Runtime on which every operation waits until the walk is over: the check runs nothing. */
class WaitingRuntime implements Runtime {
  readonly events: HistoryEvent[] = [];

  constructor(readonly info: RunInfo) {}

  record(event: HistoryEvent): void {
    this.events.push(event);
  }

  activity(_request: unknown, cancellation: Cancellation): Promise<ActivityOutcome> {
    return this.wait(cancellation);
  }

  sleep(_key: StepKey, _ms: number, cancellation: Cancellation): Promise<void> {
    return this.wait(cancellation);
  }

  receiveSignal(_key: StepKey, _name: string, _timeout: number | undefined, cancellation: Cancellation): Promise<{ payload: never } | undefined> {
    return this.wait(cancellation);
  }

  child(_request: unknown, cancellation: Cancellation): Promise<ChildOutcome> {
    return this.wait(cancellation);
  }

  private wait(cancellation: Cancellation): Promise<never> {
    return new Promise((_resolve, reject) => {
      if (cancellation.cancelled) reject(cancellation.reason);
      else cancellation.onCancel((reason) => reject(reason));
    });
  }
}
