import type { Json, Step } from '../../../interpreter/model.js';
import { varReferences } from '../../../interpreter/expression-syntax.js';
import { sequencesOf, type JsonPath, type Role } from '../../../interpreter/walk.js';
import type { SourceMap } from '../../load/source-map.js';
import type { Check, CheckContext } from '../check.js';
import { closest } from '../suggest.js';
import { scopeWrites } from './parallel-conflict.js';

/**
 * docs/dsl.md#variables-and-scope: every `var` read must name a variable that some step assigns (or
 * `input`, `workflow`, a `foreach` `as`/`index` inside its body, a `catch` `as`
 * inside its clause), and should not be read where, on some path, it has not been
 * assigned yet.
 *
 * The second part is a definite-assignment analysis over the step tree:
 * - a sequence runs in order; a step with `when` may be skipped (its `when` is read
 *   before it runs, and its writes are not certain after it);
 * - `switch`: what every case assigns (and nothing, when there is no `default`);
 * - `parallel`: each branch starts from the scope before the step, and everything
 *   the branches assign is set after it;
 * - `foreach`: the body sees `as`/`index`, `collect` sees the end of the body, and
 *   only `result` remains after it;
 * - `while`: the body and the condition may see the body's own writes (from an
 *   earlier iteration) but not on the first one; after the loop only what was set
 *   before it is certain (the body may run zero times);
 * - `try`: a `catch` (and the `finally`) may start after any step of the `try`
 *   failed, so only what is set at every point where a step of the `try` may fail is
 *   certain there. Every step may fail as it starts, before it assigns anything; an
 *   inner `try` with a `finally` passes an error on only after its `finally` ran, so
 *   what that `finally` assigns on every path is set when the error reaches an
 *   enclosing `catch`. After the whole step, what both the `try` and every `catch`
 *   assign (plus what `finally` assigns);
 * - `compensate` steps see the scope as it was when their step completed, `result`
 *   included;
 * - `return` and `fail` end a path: nothing after them weakens what is certain.
 *
 * Decisions where the DSL's reference is silent:
 * - `output` is read at the end of the run (after the last step), and warned about
 *   like any read; a path that ends in `return` never reads it.
 * - `queries` may be evaluated at any moment of the run, when most variables are
 *   not set yet (they read as null), so they only get the "no step assigns it"
 *   error, never the "may be unset" warning.
 * - `{ var: [name, default] }` is never "maybe unset" (that is what the default
 *   is for). If no step assigns `name` at all the default is always used, which is
 *   almost always a typo: that is a warning (with a suggestion), not an error.
 * - A `catch` `as` variable (default `error`) exists only inside its clause, and
 *   `foreach` `as`/`index` only inside the body.
 * - For an enclosing `catch`, an inner `finally` is taken to run to its end (a step of
 *   the `finally` that may fail is not followed; a `fail` step in it is), so what it
 *   assigns on every path counts as set there.
 * - `{ var: "" }` (the whole scope) and reads inside the per-element arguments of
 *   `map`, `filter`, `reduce`, `all`, `none`, `some` are not scope reads.
 */
export const undefinedVariable: Check = {
  rule: 'undefined-variable',
  description:
    'A `var` names a variable that no step assigns (error), or reads it where, on some path, it is not assigned yet (warning; not for `queries`, which may run at any moment).',
  run(ctx) {
    new Analysis(ctx).run();
  },
};

/** What is known at one point of the run. Flows are never changed once built: every operation returns a new one. */
interface Flow {
  /** No run reaches this point (after `return`/`fail`); the sets are those of the point where the path ended. */
  dead: boolean;
  /** Assigned on every path to this point. */
  defs: VarSet;
  /** Assigned on some paths only, with the reason it may be unset (built only when reported). */
  maybe: ReadonlyMap<string, Reason>;
}

/** Numbers variable names on first sight, for {@link VarSet}. */
class Names {
  readonly bits = new Map<string, bigint>();
  readonly list: string[] = [];
  bit(name: string): bigint {
    let bit = this.bits.get(name);
    if (bit === undefined) {
      bit = 1n << BigInt(this.list.length);
      this.list.push(name);
      this.bits.set(name, bit);
    }
    return bit;
  }
}

/** An immutable set of variable names as a bit mask: cheap to copy at every step. */
class VarSet {
  constructor(
    private readonly names: Names,
    readonly bits: bigint,
  ) {}
  has(name: string): boolean {
    const bit = this.names.bits.get(name);
    return bit !== undefined && (this.bits & bit) !== 0n;
  }
  with(names: Iterable<string | undefined>): VarSet {
    let bits = this.bits;
    for (const name of names) if (name !== undefined) bits |= this.names.bit(name);
    return bits === this.bits ? this : new VarSet(this.names, bits);
  }
  without(name: string): VarSet {
    const bit = this.names.bits.get(name);
    return bit === undefined || (this.bits & bit) === 0n ? this : new VarSet(this.names, this.bits & ~bit);
  }
  and(other: VarSet): VarSet {
    return new VarSet(this.names, this.bits & other.bits);
  }
  or(other: VarSet): VarSet {
    return new VarSet(this.names, this.bits | other.bits);
  }
  *[Symbol.iterator](): Generator<string> {
    let bits = this.bits;
    for (let i = 0; bits > 0n; i++, bits >>= 1n) if (bits & 1n) yield this.names.list[i]!;
  }
}

type Reason = () => string;

/** A point where an error may leave a `try` body: what is certain there, and whether a `fail` step raises it. */
interface Failure {
  defs: VarSet;
  raised: boolean;
}

interface Enclosing {
  step: Step;
  path: JsonPath;
  role: Role;
  seqPath: JsonPath;
}

class StepInfo {
  private knownLine: number | undefined;
  constructor(
    readonly step: Step,
    readonly path: JsonPath,
    readonly enclosing: readonly Enclosing[],
    private readonly source: SourceMap,
  ) {}
  /** 1-based line of the step (looked up on first use: most steps are never named in a message). */
  get line(): number {
    return (this.knownLine ??= this.source.rangeOf(this.path).line);
  }
}

interface Writer {
  name: string;
  info: StepInfo;
}

interface Reader {
  /** `step \`x\``, `the workflow \`output\``, `query \`progress\``. */
  label: string;
  mode: 'step' | 'output' | 'query';
  info?: StepInfo;
}

const startsWith = (path: JsonPath, prefix: JsonPath) => prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
const samePath = (a: JsonPath, b: JsonPath) => a.length === b.length && startsWith(a, b);

function assign(f: Flow, names: readonly (string | undefined)[]): Flow {
  const defs = f.defs.with(names);
  let maybe = f.maybe;
  if (names.some((name) => name !== undefined && maybe.has(name))) {
    const copy = new Map(maybe);
    for (const name of names) if (name !== undefined) copy.delete(name);
    maybe = copy;
  }
  return defs === f.defs && maybe === f.maybe ? f : { dead: f.dead, defs, maybe };
}

function ended(f: Flow): Flow {
  return f.dead ? f : { dead: true, defs: f.defs, maybe: f.maybe };
}

/** `f` plus the given names as "maybe assigned" (those not already known), with a reason each. */
function addMaybe(f: Flow, names: Iterable<string>, reason: (name: string) => string): Flow {
  let maybe: Map<string, Reason> | undefined;
  for (const name of names) {
    if (f.defs.has(name) || f.maybe.has(name) || maybe?.has(name)) continue;
    maybe ??= new Map(f.maybe);
    maybe.set(name, () => reason(name));
  }
  return maybe ? { dead: f.dead, defs: f.defs, maybe } : f;
}

/** `f` with the reason of these names (those maybe assigned) replaced. */
function reexplain(f: Flow, names: (name: string) => boolean, reason: (name: string) => string): Flow {
  const maybe = new Map(f.maybe);
  for (const name of maybe.keys()) if (names(name)) maybe.set(name, () => reason(name));
  return { dead: f.dead, defs: f.defs, maybe };
}

/** Where paths meet: certain what every live path assigns; a reason for the rest. */
function join(flows: readonly Flow[], reason: (name: string) => string): Flow {
  const live = flows.filter((f) => !f.dead);
  if (live.length === 0) return ended(flows[0]!);
  const defs = live.reduce((acc, f) => acc.and(f.defs), live[0]!.defs);
  const maybe = new Map<string, Reason>();
  for (const f of live) for (const [name, why] of f.maybe) if (!defs.has(name) && !maybe.has(name)) maybe.set(name, why);
  for (const f of live) for (const name of f.defs) if (!defs.has(name) && !maybe.has(name)) maybe.set(name, () => reason(name));
  return { dead: false, defs, maybe };
}

function valueAt(value: Json, at: readonly (string | number)[]): Json | undefined {
  let node: Json | undefined = value;
  for (const segment of at) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, Json>)[segment as string];
  }
  return node;
}

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

class Analysis {
  /** By JSON path (a YAML alias can make two steps one object). */
  private readonly infos = new Map<string, StepInfo>();
  private readonly names = new Names();
  private readonly writers: Writer[] = [];
  private readonly assigned = new Set<string>();
  /** Variables that exist only inside a foreach body or a catch clause: where. */
  private readonly locals = new Map<string, () => string>();
  private readonly inputProperties: string[];
  /**
   * For each `try` body being analysed (innermost last): what is certainly assigned at
   * each point where an error may leave the steps analysed so far (only live points),
   * and whether it is a `fail` step (an error raised on purpose, not one a step may raise).
   */
  private failures: Failure[][] = [];

  constructor(private readonly ctx: CheckContext) {
    this.index(ctx.definition.steps, ['steps'], []);
    for (const w of this.writers) this.assigned.add(w.name);
    if (!this.locals.has('error')) this.locals.set('error', () => 'inside a `catch` clause (as the caught error, unless the clause names it with `as`)');
    const input = ctx.definition.input;
    const properties = typeof input === 'object' && input !== null ? input.properties : undefined;
    this.inputProperties = typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.keys(properties) : [];
  }

  run(): void {
    const definition = this.ctx.definition;
    const empty: Flow = { dead: false, defs: new VarSet(this.names, 0n), maybe: new Map() };
    const end = this.sequence(definition.steps, ['steps'], empty);
    this.read(definition.output, ['output'], end, { label: 'the workflow `output`', mode: 'output' });
    for (const [name, query] of Object.entries(definition.queries ?? {})) {
      this.read(query, ['queries', name], empty, { label: `query \`${name}\``, mode: 'query' });
    }
  }

  // ---- the step tree -------------------------------------------------------

  private line(path: JsonPath): number {
    return this.ctx.file.source.rangeOf(path).line;
  }

  private index(steps: readonly Step[], path: JsonPath, enclosing: Enclosing[]): void {
    steps.forEach((step, i) => {
      const stepPath = [...path, i];
      const info = new StepInfo(step, stepPath, enclosing, this.ctx.file.source);
      this.infos.set(stepPath.join('/'), info);
      if ('set' in step) for (const name of Object.keys(step.set)) this.writers.push({ name, info });
      const result = (step as { result?: unknown }).result;
      if (typeof result === 'string') this.writers.push({ name: result, info });
      if ('foreach' in step) {
        const where = () => `inside the body of foreach step \`${step.id}\` (line ${info.line})`;
        for (const name of [step.as ?? 'item', step.index]) if (name !== undefined && !this.locals.has(name)) this.locals.set(name, where);
      }
      if ('try' in step) {
        for (const clause of step.catch ?? []) {
          const name = clause.as ?? 'error';
          if (!this.locals.has(name)) this.locals.set(name, () => `inside a \`catch\` of step \`${step.id}\` (line ${info.line})`);
        }
      }
      for (const seq of sequencesOf(step, stepPath)) {
        this.index(seq.steps, seq.path, [...enclosing, { step, path: stepPath, role: seq.role, seqPath: seq.path }]);
      }
    });
  }

  private sequence(steps: readonly Step[], path: JsonPath, flow: Flow): Flow {
    steps.forEach((step, i) => {
      flow = this.step(step, [...path, i], flow);
    });
    return flow;
  }

  /** An error may leave the current step list (towards the innermost `try`) with this flow. */
  private mayFail(flow: Flow, raised = false): void {
    if (!flow.dead) this.failures.at(-1)?.push({ defs: flow.defs, raised });
  }

  /** Runs `analyse` with its failure points collected apart (and not passed to the enclosing `try`); returns them. */
  private collecting<T>(analyse: () => T): { value: T; failures: Failure[] } {
    const saved = this.failures;
    const failures: Failure[] = [];
    this.failures = [...saved, failures];
    try {
      return { value: analyse(), failures };
    } finally {
      this.failures = saved;
    }
  }

  private step(step: Step, path: JsonPath, before: Flow): Flow {
    const info = this.infos.get(path.join('/'))!;
    // Any step may fail as it starts (its `when`, its expressions, its activity), before it assigns anything;
    // a `try` without `when` passes on only the errors of its parts (see tryStep).
    if (!('try' in step) || step.when !== undefined) this.mayFail(before, 'fail' in step);
    const reader: Reader = { label: `step \`${step.id}\``, mode: 'step', info };
    this.read(step.when, [...path, 'when'], before, reader);
    const after = this.kind(step, path, before, info, reader);
    return step.when === undefined ? after : join([before, after], (name) => this.whyWhen(name, info));
  }

  private kind(step: Step, path: JsonPath, before: Flow, info: StepInfo, reader: Reader): Flow {
    const read = (value: Json | undefined, relative: JsonPath, flow: Flow) => this.read(value, [...path, ...relative], flow, reader);
    if ('call' in step) {
      read(step.with, ['with'], before);
      const after = assign(before, [step.result]);
      // Compensations run after the failure, outside any `try`.
      if (step.compensate) this.collecting(() => this.sequence(step.compensate!, [...path, 'compensate'], after));
      return after;
    }
    if ('set' in step) {
      for (const [name, value] of Object.entries(step.set)) read(value, ['set', name], before);
      return assign(before, Object.keys(step.set));
    }
    if ('switch' in step) {
      step.switch.forEach((c, i) => read(c.when, ['switch', i, 'when'], before));
      const cases = step.switch.map((c, i) => this.sequence(c.steps, [...path, 'switch', i, 'steps'], before));
      const ends = step.default ? [...cases, this.sequence(step.default, [...path, 'default'], before)] : [...cases, before];
      return join(ends, (name) => this.whySwitch(name, info, cases, step.default !== undefined));
    }
    if ('parallel' in step) {
      // Branches work on copies: when one fails, the scope is the one before the step (recorded in step()).
      const { value: ends, failures } = this.collecting(() => step.parallel.map((b, i) => this.sequence(b.steps, [...path, 'parallel', i, 'steps'], before)));
      if (failures.some((f) => f.raised)) this.mayFail(before, true);
      const defs = ends.reduce((acc, end) => acc.or(end.defs), before.defs);
      const maybe = new Map<string, Reason>();
      for (const f of [before, ...ends]) for (const [name, why] of f.maybe) if (!defs.has(name) && !maybe.has(name)) maybe.set(name, why);
      return { dead: ends.some((end) => end.dead), defs, maybe };
    }
    if ('foreach' in step) {
      read(step.foreach, ['foreach'], before);
      const body = assign(before, [step.as ?? 'item', step.index]);
      // An iteration's writes are discarded: when it fails, the scope is the one before the step (recorded in step()).
      const { value: end, failures } = this.collecting(() => this.sequence(step.steps, [...path, 'steps'], body));
      if (failures.some((f) => f.raised)) this.mayFail(before, true);
      read(step.collect, ['collect'], end);
      return assign(before, [step.result]);
    }
    if ('while' in step) {
      const written = new Set(scopeWrites(step.steps, [...path, 'steps']).map((w) => w.name));
      // The condition and the body see the body's own writes from an earlier iteration, but not on the first one.
      const start = addMaybe(before, written, (name) => this.whyLoop(name, info, 'first'));
      read(step.while, ['while'], start);
      const end = this.sequence(step.steps, [...path, 'steps'], start);
      const after = join([before, end], (name) => this.whyLoop(name, info, 'zero'));
      return reexplain(after, (name) => written.has(name), (name) => this.whyLoop(name, info, 'zero'));
    }
    if ('sleep' in step) {
      read(step.sleep, ['sleep'], before);
      return before;
    }
    if ('wait' in step) return assign(before, [step.result]);
    if ('child' in step) {
      read(step.child.input, ['child', 'input'], before);
      read(step.child.workflowId, ['child', 'workflowId'], before);
      return assign(before, [step.result]);
    }
    if ('try' in step) return this.tryStep(step, path, before, info);
    if ('fail' in step) {
      read(step.fail.message, ['fail', 'message'], before);
      read(step.fail.details, ['fail', 'details'], before);
      return ended(before);
    }
    if ('return' in step) {
      read(step.return, ['return'], before);
      return ended(before);
    }
    return before;
  }

  private tryStep(step: Extract<Step, { try: Step[] }>, path: JsonPath, before: Flow, info: StepInfo): Flow {
    const tryWrites = scopeWrites(step.try, [...path, 'try']).map((w) => w.name);
    const { value: tryEnd, failures } = this.collecting(() => this.sequence(step.try, [...path, 'try'], before));
    // A catch may start after any step of the try failed: certain there is what is set at every such point.
    const certain = failures.length === 0 ? before.defs : failures.reduce((acc, f) => acc.and(f.defs), failures[0]!.defs).or(before.defs);
    const atFailure: Flow = { dead: before.dead, defs: certain, maybe: new Map([...before.maybe].filter(([name]) => !certain.has(name))) };
    const failed = addMaybe(atFailure, tryWrites, (name) => this.whyTry(name, info, 'may-fail'));
    const catchWrites: string[] = [];
    // Errors of a catch leave this step with at least what `failed` has (and, when there is one, after the finally):
    // that is what is passed on below, rather than each point (where the clause's error variable is still set).
    const catchEnds = this.collecting(() => (step.catch ?? []).map((clause, i) => {
      const seqPath = [...path, 'catch', i, 'steps'];
      catchWrites.push(...scopeWrites(clause.steps, seqPath).map((w) => w.name));
      const as = clause.as ?? 'error';
      const end = this.sequence(clause.steps, seqPath, assign(failed, [as]));
      // The error variable exists only inside its clause.
      if (failed.defs.has(as)) return end;
      const maybe = new Map(end.maybe);
      const why = failed.maybe.get(as);
      if (why === undefined) maybe.delete(as);
      else maybe.set(as, why);
      return { dead: end.dead, defs: end.defs.without(as), maybe };
    })).value;
    let afterTryCatch = join([tryEnd, ...catchEnds], (name) =>
      tryEnd.defs.has(name) && !tryEnd.dead ? this.whyTry(name, info, 'not-in-catch') : this.whyTry(name, info, 'catch-only'),
    );
    // What the try assigns but a catch may not: say so, rather than why the catch itself may lack it.
    if (!tryEnd.dead) afterTryCatch = reexplain(afterTryCatch, (name) => tryEnd.defs.has(name), (name) => this.whyTry(name, info, 'not-in-catch'));
    if (!step.finally) {
      // An error the catches do not handle, or one of theirs, goes on outward.
      this.mayFail(failed);
      return afterTryCatch;
    }
    // `finally` also runs after a failure anywhere in the try or a catch.
    const finallyStart = addMaybe(failed, catchWrites, (name) => this.whyTry(name, info, 'catch-only'));
    const { value: finallyEnd, failures: finallyFailures } = this.collecting(() => this.sequence(step.finally!, [...path, 'finally'], finallyStart));
    // An error goes on outward only after the finally ran: what it assigns is set in an enclosing catch. The finally is
    // taken to run to its end, except where a `fail` step in it raises an error on purpose.
    this.mayFail(finallyEnd);
    for (const f of finallyFailures) if (f.raised) this.failures.at(-1)?.push(f);
    if (afterTryCatch.dead || finallyEnd.dead) return ended(afterTryCatch.dead ? afterTryCatch : finallyEnd);
    // What the finally itself assigns is added to what was certain before it.
    const defs = afterTryCatch.defs.with(finallyEnd.defs);
    const maybe = new Map<string, Reason>();
    for (const [name, why] of afterTryCatch.maybe) if (!defs.has(name)) maybe.set(name, why);
    for (const [name, why] of finallyEnd.maybe) {
      if (defs.has(name) || maybe.has(name) || finallyStart.maybe.get(name) === why) continue;
      maybe.set(name, why);
    }
    return { dead: false, defs, maybe };
  }

  // ---- reasons ---------------------------------------------------------------

  /** Steps (not in a foreach body or compensation below `prefix`) that assign `name` under `prefix`. */
  private writersUnder(name: string, prefix: JsonPath): Writer[] {
    return this.writers.filter(
      (w) =>
        w.name === name &&
        startsWith(w.info.path, prefix) &&
        !w.info.enclosing.some((e) => (e.role === 'iteration' || e.role === 'compensate') && startsWith(e.path, prefix)),
    );
  }

  private steps(writers: readonly Writer[]): string {
    const unique = writers.filter((w, i) => writers.findIndex((o) => o.info === w.info) === i);
    if (unique.length === 0) return 'a step';
    const shown = unique.slice(0, 3).map((w) => `\`${w.info.step.id}\` (line ${w.info.line})`);
    if (unique.length > 3) shown.push(`${unique.length - 3} more`);
    return `${unique.length === 1 ? 'step' : 'steps'} ${joinAnd(shown)}`;
  }

  private whyWhen(name: string, info: StepInfo): string {
    const writers = this.writersUnder(name, info.path);
    const id = info.step.id;
    if (writers.length > 0 && writers.every((w) => w.info === info)) {
      return `it is assigned by step \`${id}\` (line ${info.line}), which is skipped when its \`when\` is false`;
    }
    return `it is assigned by ${this.steps(writers)} inside step \`${id}\` (line ${info.line}), which is skipped when its \`when\` is false`;
  }

  private whySwitch(name: string, info: StepInfo, cases: readonly Flow[], hasDefault: boolean): string {
    const id = info.step.id;
    const live = cases.filter((c) => !c.dead);
    if (!hasDefault && live.length > 0 && live.every((c) => c.defs.has(name))) {
      return `it is assigned in every case of switch \`${id}\` (line ${info.line}), but that switch has no \`default\`, so nothing runs when no case matches`;
    }
    return `it is assigned only in some cases of switch \`${id}\` (line ${info.line}), by ${this.steps(this.writersUnder(name, info.path))}`;
  }

  private whyLoop(name: string, info: StepInfo, which: 'first' | 'zero'): string {
    const by = this.steps(this.writersUnder(name, [...info.path, 'steps']));
    const loop = `the body of while \`${info.step.id}\` (line ${info.line})`;
    return which === 'first'
      ? `it is assigned only later in ${loop}, by ${by}, so it is unset on the first iteration`
      : `it is assigned in ${loop}, by ${by}, and that body may run zero times`;
  }

  private whyTry(name: string, info: StepInfo, which: 'may-fail' | 'not-in-catch' | 'catch-only'): string {
    const id = info.step.id;
    if (which === 'catch-only') {
      const writers = (info.step as Extract<Step, { try: Step[] }>).catch?.flatMap((_, i) => this.writersUnder(name, [...info.path, 'catch', i])) ?? [];
      return `it is assigned only in a \`catch\` of step \`${id}\` (line ${info.line}), by ${this.steps(writers)}, which runs only when an error is caught`;
    }
    const by = this.steps(this.writersUnder(name, [...info.path, 'try']));
    return which === 'may-fail'
      ? `it is assigned in the \`try\` of step \`${id}\` (line ${info.line}), by ${by}, which may fail before assigning it`
      : `it is assigned in the \`try\` of step \`${id}\` (line ${info.line}), by ${by}, but not when a \`catch\` handles an error there`;
  }

  /**
   * Why a variable assigned somewhere is set on no path to this read. `never` when
   * no write can ever reach it (all are discarded), which makes it an error.
   */
  private whyNotYet(name: string, reader: Reader, readPath: JsonPath): { reason: string; never?: boolean } {
    const writers = this.writers.filter((w) => w.name === name);
    const first = writers[0]!;
    const at = (w: Writer) => `step \`${w.info.step.id}\` (line ${w.info.line})`;
    const chain = reader.info?.enclosing ?? [];
    // Written in another branch, case or clause of a step that also holds this read.
    for (const w of writers) {
      const other = w.info.enclosing;
      let i = 0;
      while (i < chain.length && i < other.length && samePath(chain[i]!.seqPath, other[i]!.seqPath)) i++;
      if (i >= chain.length || i >= other.length || !samePath(chain[i]!.path, other[i]!.path)) continue;
      const holder = chain[i]!;
      const line = this.line(holder.path);
      if ('parallel' in holder.step) {
        const branch = holder.step.parallel[other[i]!.seqPath[holder.path.length + 1] as number]?.id;
        return {
  reason:
          `it is assigned by ${at(w)} in branch \`${branch}\` of parallel step \`${holder.step.id}\` (line ${line}); ` +
          `branches start from a copy of the scope and see each other's writes only after step \`${holder.step.id}\` ends`
        };
      }
      if ('switch' in holder.step) {
        return { reason: `it is assigned only by ${at(w)} in another case of switch \`${holder.step.id}\` (line ${line}), which never runs together with this one` };
      }
      if (other[i]!.role === 'catch') {
        return { reason: `it is assigned only by ${at(w)} in a \`catch\` of step \`${holder.step.id}\` (line ${line}), which runs only after the \`try\` failed` };
      }
      if (other[i]!.role === 'finally') {
        return { reason: `it is assigned only by ${at(w)} in the \`finally\` of step \`${holder.step.id}\` (line ${line}), which runs after this point` };
      }
    }
    // Written only where writes are discarded.
    const discarded = (w: Writer) =>
      w.info.enclosing.find((e) => (e.role === 'iteration' || e.role === 'compensate') && !startsWith(readPath, e.seqPath));
    if (writers.every((w) => discarded(w) !== undefined)) {
      const boundary = discarded(first)!;
      const line = this.line(boundary.path);
      const reason = boundary.role === 'iteration'
        ? `it is assigned only inside the body of foreach step \`${boundary.step.id}\` (line ${line}), by ${at(first)}, and a foreach iteration's writes are discarded when it ends; ` +
            `keep values with \`collect\` and read the foreach's \`result\``
        : `it is assigned only in the compensation steps of step \`${boundary.step.id}\` (line ${line}), by ${at(first)}, which run on a copy of the scope`;
      return { reason, never: true };
    }
    if (reader.mode === 'output') {
      return { reason: `no path that reaches the end of the run assigns it (it is assigned by ${this.steps(writers)}); assign it on every path, or read it with a default` };
    }
    if (writers.some((w) => w.info === reader.info)) return { reason: 'it is assigned by this same step, after its templates are evaluated; assign it in an earlier step' };
    const compensating = [...chain].reverse().find((e) => e.role === 'compensate');
    const readLine = this.line(readPath);
    if (compensating) {
      return {
  reason:
        `compensation steps see the scope as it was when step \`${compensating.step.id}\` completed, ` +
        `and it is assigned only by ${this.steps(writers)}; assign it before step \`${compensating.step.id}\``
      };
    }
    if (writers.every((w) => w.info.line > readLine)) return { reason: `it is first assigned later, by ${at(first)}; move that assignment before this step` };
    return { reason: `no path to this point assigns it (it is assigned by ${this.steps(writers)}); assign it before this step` };
  }

  // ---- reads -----------------------------------------------------------------

  private read(template: Json | undefined, at: JsonPath, flow: Flow, reader: Reader): void {
    if (template === undefined) return;
    for (const ref of varReferences(template)) {
      const first = ref.segments[0];
      if (first === undefined || first === 'input' || first === 'workflow') continue;
      if (flow.defs.has(first)) continue;
      const arg = (valueAt(template, ref.at) as Record<string, Json> | undefined)?.var;
      const hasDefault = Array.isArray(arg) && arg.length > 1;
      const path = [...at, ...ref.at, ...(Array.isArray(arg) ? ['var', 0] : ['var'])];
      const reads = `${reader.label} reads \`${ref.name}\``;
      if (!this.assigned.has(first) && !flow.maybe.has(first)) {
        const hint = this.hint(first, flow);
        if (hasDefault) {
          this.ctx.report(path, `${reads} with a default, but no step assigns \`${first}\`, so the default is always used${hint.suggestion ?? hint.local ?? ''}`, {
            severity: 'warning',
          });
        } else {
          this.ctx.report(
            path,
            `${reads}, but no step assigns \`${first}\`` +
              (hint.suggestion ?? hint.local ?? `; assign it with \`set\` or a step's \`result\` first (workflow input is read as \`input.<field>\`)`),
          );
        }
        continue;
      }
      if (flow.dead || hasDefault || reader.mode === 'query') continue;
      const why = flow.maybe.get(first);
      if (why !== undefined) {
        this.ctx.report(
          path,
          `${reads}, but \`${first}\` may be unset here: ${why()}; assign it on every path before this point, or read it with a default: \`{ var: [${ref.name}, <default>] }\``,
          { severity: 'warning' },
        );
      } else {
        const { reason, never } = this.whyNotYet(first, reader, path);
        const state = never ? 'is never assigned where it can be read here' : 'is not assigned yet here';
        this.ctx.report(path, `${reads}, but \`${first}\` ${state}: ${reason}`, { severity: never ? 'error' : 'warning' });
      }
    }
  }

  private hint(name: string, flow: Flow): { suggestion?: string; local?: string } {
    const local = this.locals.get(name);
    if (local) return { local: `: \`${name}\` exists only ${local()}` };
    if (this.inputProperties.includes(name)) return { suggestion: `; did you mean \`input.${name}\`? The workflow input is read through \`input\`` };
    const known = closest(name, [...flow.defs, ...flow.maybe.keys(), ...this.assigned, 'input', 'workflow']);
    if (known !== undefined) return { suggestion: `; did you mean \`${known}\`?` };
    const property = closest(name, this.inputProperties);
    if (property !== undefined) return { suggestion: `; did you mean \`input.${property}\`?` };
    return {};
  }
}
