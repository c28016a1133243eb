/**
 * The steps of a run record as a compact tree of lines, for the live view: loops
 * show their running (or failed) iterations and one summary line for the others,
 * `set` steps are left out, and when the lines do not fit the most recent ones are
 * kept, with the steps around them.
 */
import type { StepKey } from '../../../interpreter/history.js';
import type { RunRecord, StepRecord } from '../../history/record.js';
import {
  attemptsText,
  between,
  decisionText,
  errorText,
  fields,
  formatElapsed,
  inCompensation,
  LEAF_KINDS,
  LOOP_KINDS,
  plural,
  seg,
  stepDuration,
  SYMBOL,
  type Segment,
} from './format.js';

export interface TreeLine {
  depth: number;
  /** Status symbol (or spinner frame) first, then the fields. */
  segments: Segment[];
  /** Index of the enclosing step's line, -1 at the top. */
  parent: number;
  running: boolean;
  /** Recency: the position in the record of the latest step the line stands for. */
  seq: number;
}

export interface TreeOptions {
  now: number;
  /** The spinner frame for running steps; absent once the view is closed. */
  spinner?: string;
  /** Only the top-level steps (the final frame). */
  topLevelOnly?: boolean;
}

/**
 * The record's steps arranged as a tree, kept up to date as the record grows (steps
 * are only ever appended to it), so a redraw does not go over the whole run again.
 */
export class StepTree {
  private record: RunRecord | undefined;
  private indexed = 0;
  private readonly known = new Set<StepKey>();
  /** Indexes in `record.steps` of each step's children (`undefined`: the top level). */
  readonly children = new Map<StepKey | undefined, number[]>();
  /** For each loop, its children by iteration (`loop#3/…`, `loop[2]/…`). */
  readonly iterations = new Map<StepKey, Map<number, number[]>>();

  get steps(): readonly StepRecord[] {
    return this.record?.steps ?? [];
  }

  /** Takes in the steps added since the last call (all of them for another record). */
  sync(record: RunRecord): void {
    if (record !== this.record) {
      this.record = record;
      this.indexed = 0;
      this.known.clear();
      this.children.clear();
      this.iterations.clear();
    }
    const steps = record.steps;
    for (; this.indexed < steps.length; this.indexed++) {
      const i = this.indexed;
      const step = steps[i]!;
      const parent = step.parent !== undefined && this.known.has(step.parent) ? step.parent : undefined;
      this.known.add(step.key);
      push(this.children, parent, i);
      if (parent === undefined || !step.key.startsWith(parent)) continue;
      const match = /^(?:#(\d+)|\[(\d+)\])\//.exec(step.key.slice(parent.length));
      if (!match) continue;
      let byIndex = this.iterations.get(parent);
      if (!byIndex) this.iterations.set(parent, (byIndex = new Map()));
      push(byIndex, Number(match[1] ?? match[2]), i);
    }
  }
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function buildTree(tree: StepTree, options: TreeOptions): TreeLine[] {
  const steps = tree.steps;
  const lines: TreeLine[] = [];

  const visit = (i: number, depth: number, parentLine: number, label: string): void => {
    const step = steps[i]!;
    if (step.kind === 'set' && step.status !== 'failed') return;
    const loop = LOOP_KINDS.has(step.kind) ? loopState(steps, tree.iterations.get(step.key)) : undefined;
    const index = lines.length;
    lines.push({ depth, segments: stepLine(step, label, options, loop), parent: parentLine, running: isRunning(step), seq: i });
    if (options.topLevelOnly) return;
    if (!loop) {
      for (const kid of tree.children.get(step.key) ?? []) visit(kid, depth + 1, index, childLabel(step, steps[kid]!));
      return;
    }
    const expanded = loop.groups.filter((g) => g.running || (step.status === 'failed' && g.failed));
    const collapsed = loop.groups.length - expanded.length;
    if (expanded.length > 0 && collapsed > 0) {
      const noun = step.kind === 'while' ? 'iteration' : 'item';
      const open = new Set(expanded);
      const latest = loop.groups.reduce((max, g) => (open.has(g) ? max : Math.max(max, g.last)), -1);
      lines.push({
        depth: depth + 1,
        segments: [seg(SYMBOL.completed, 'green'), seg(' '), seg(`${step.id} ×${plural(collapsed, noun)}`)],
        parent: index,
        running: false,
        seq: latest,
      });
    }
    for (const group of expanded) for (const kid of group.members) visit(kid, depth + 1, index, childLabel(step, steps[kid]!));
  };

  for (const i of tree.children.get(undefined) ?? []) visit(i, 0, -1, steps[i]!.key);
  return lines;
}

interface Iteration {
  /** Indexes (in the record) of the loop's direct children in this iteration. */
  members: number[];
  running: boolean;
  failed: boolean;
  last: number;
}

interface LoopState {
  groups: Iteration[];
  maxIndex: number;
}

/** How each iteration of a loop stands now. */
function loopState(steps: readonly StepRecord[], byIndex: Map<number, number[]> | undefined): LoopState {
  const groups: Iteration[] = [];
  let maxIndex = 0;
  for (const [index, members] of byIndex ?? []) {
    maxIndex = Math.max(maxIndex, index);
    let running = false;
    let failed = false;
    for (const m of members) {
      const kid = steps[m]!;
      running ||= isRunning(kid);
      failed ||= kid.status === 'failed';
    }
    groups.push({ members, running, failed, last: members[members.length - 1]! });
  }
  return { groups, maxIndex };
}

const isRunning = (step: StepRecord): boolean => step.status === 'running' || step.compensation?.status === 'running';

/** A child's name without what its parent's line already says. */
export function childLabel(parent: StepRecord, child: StepRecord): string {
  const key = child.key;
  if (key.startsWith(`${parent.key}~/`)) return key.slice(parent.key.length + 2);
  if (key.startsWith(parent.key) && (key[parent.key.length] === '#' || key[parent.key.length] === '[')) return key.slice(parent.key.length);
  if (parent.key.endsWith(parent.id)) {
    const prefix = parent.key.slice(0, parent.key.length - parent.id.length);
    if (key.startsWith(prefix)) return key.slice(prefix.length);
  }
  return key;
}

function stepLine(step: StepRecord, label: string, options: TreeOptions, loop: LoopState | undefined): Segment[] {
  const took = stepDuration(step, options.now);
  const container = !LEAF_KINDS.has(step.kind) && step.kind !== 'set';
  return [
    symbol(step, options),
    seg(' '),
    ...fields(
      seg(label, step.status === 'running' ? 'bold' : undefined),
      seg(detail(step, loop), 'dim'),
      seg(attemptsText(step)),
      step.reused && seg('reused', 'dim'),
      took === undefined ? undefined : seg(formatElapsed(took), 'dim'),
      note(step, options, container),
    ),
  ];
}

function symbol(step: StepRecord, options: TreeOptions): Segment {
  if (isRunning(step)) return options.spinner === undefined ? seg(SYMBOL.unfinished, 'yellow') : seg(options.spinner, step.status === 'running' ? 'cyan' : 'magenta');
  if (step.compensation?.status === 'failed' || step.status === 'failed') return seg(SYMBOL.failed, 'red');
  if (step.status === 'skipped') return seg(SYMBOL.skipped, 'dim');
  if (step.status === 'compensated' || inCompensation(step.key)) return seg(SYMBOL.compensation, 'magenta');
  return seg(SYMBOL.completed, 'green');
}

/** What the step is: its activity, its kind, and for loops how far they got. */
function detail(step: StepRecord, loop: LoopState | undefined): string {
  if (step.kind === 'while') {
    const done = step.decision && 'iterations' in step.decision ? step.decision.iterations : undefined;
    if (step.status === 'running' || done === undefined) return loop && loop.maxIndex > 0 ? `while #${loop.maxIndex}` : 'while';
    return `while ×${plural(done, 'iteration')}`;
  }
  if (step.kind === 'foreach') {
    const items = step.decision && 'items' in step.decision ? step.decision.items : undefined;
    if (step.status === 'completed' && items !== undefined) return `foreach ×${plural(items, 'item')}`;
    const done = loop ? loop.groups.filter((g) => !g.running && !g.failed).length : 0;
    return items === undefined ? `foreach ${done}` : `foreach ${done}/${items}`;
  }
  const decision = decisionText(step.decision);
  if (decision) return `${step.kind} ${decision}`;
  return step.activity ?? step.kind;
}

/** After the duration: the error, the skip, the compensation, or the retry being waited for. */
function note(step: StepRecord, options: TreeOptions, container: boolean): Segment | undefined {
  const compensation = step.compensation;
  if (compensation?.status === 'running') return seg('compensating', 'magenta');
  if (compensation?.status === 'failed') return seg(`compensation failed: ${errorText(compensation.error)}`, 'red');
  if (step.status === 'compensated') return seg('compensated', 'magenta');
  if (step.status === 'skipped') return seg('skipped', 'dim');
  if (step.status === 'failed') {
    const where = container && step.error?.step !== undefined && step.error.step !== step.id ? ` (in ${step.error.step})` : '';
    return seg(`${errorText(step.error)}${where}`, 'red');
  }
  const last = step.status === 'running' ? step.failedAttempts?.at(-1) : undefined;
  if (!last) return undefined;
  const due = last.retryInMs !== undefined && last.at !== undefined ? Date.parse(last.at) + last.retryInMs - options.now : 0;
  const wait = due > 0 ? `retry in ${formatElapsed(due)} after ` : '';
  return seg(`${SYMBOL.retry} ${wait}${errorText(last.error)}`, 'yellow');
}

export interface Selection {
  lines: TreeLine[];
  /** Lines left out. */
  omitted: number;
}

/**
 * At most `budget` lines: running steps first, then the most recent ones, each with
 * the lines of its enclosing steps; one line is kept for saying how many were left out.
 */
export function selectLines(lines: TreeLine[], budget: number): Selection {
  if (lines.length <= budget) return { lines, omitted: 0 };
  const slots = budget - 1;
  if (slots <= 0) return { lines: [], omitted: lines.length };
  const order = lines.map((_, i) => i).sort((a, b) => Number(lines[b]!.running) - Number(lines[a]!.running) || lines[b]!.seq - lines[a]!.seq || b - a);
  const chosen = new Set<number>();
  for (const i of order) {
    if (chosen.size >= slots) break;
    const chain: number[] = [];
    for (let at = i; at >= 0 && !chosen.has(at); at = lines[at]!.parent) chain.push(at);
    if (chosen.size + chain.length <= slots) for (const at of chain) chosen.add(at);
  }
  const kept = [...chosen].sort((a, b) => a - b).map((i) => lines[i]!);
  return { lines: kept, omitted: lines.length - kept.length };
}

/** The run's own line: workflow, id, status and how long it has been going. */
export function headerLine(record: RunRecord, runId: string, options: TreeOptions): Segment[] {
  const running = record.status === 'running';
  const sym = running
    ? options.spinner === undefined
      ? seg(SYMBOL.unfinished, 'yellow')
      : seg(options.spinner, 'cyan')
    : record.status === 'completed'
      ? seg(SYMBOL.completed, 'green')
      : seg(SYMBOL.failed, 'red');
  const took = between(record.startedAt, record.endedAt ?? options.now);
  return [
    sym,
    seg(' '),
    ...fields(
      seg(record.workflow || 'run', 'bold'),
      seg(runId || record.runId, 'dim'),
      seg(record.status, running ? undefined : record.status === 'completed' ? 'green' : 'red'),
      took === undefined ? undefined : seg(formatElapsed(took), 'dim'),
      record.cancelRequested && running ? seg('cancelling', 'yellow') : undefined,
    ),
  ];
}
