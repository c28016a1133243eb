import { basename, dirname, relative } from 'node:path';
import type { ChildStep, Step } from '../../../interpreter/model.js';
import { sequencesOf, walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { LoadedFile } from '../../load/load.js';
import { isPathReference, type WorkflowSet } from '../../load/workflow-set.js';
import type { Check } from '../check.js';
import { closest } from '../suggest.js';

/** A child step that runs on every run of its workflow, and the file it starts. */
interface CertainChild {
  step: ChildStep;
  path: JsonPath;
  target: LoadedFile;
}

/**
 * `child.workflow` must resolve within the files validated together, and child
 * references must not form a cycle that nothing can stop.
 *
 * A child step "always runs" when no `when` guards it or an enclosing step, it is
 * not inside a switch case, `while`, `foreach`, `catch` or `compensate`, and no
 * earlier step on its way (in its sequence or an enclosing one) contains a `return`
 * or `fail` that could end the run first (the usual base case of a recursion).
 * A cycle made only of such steps recurses until Temporal's limits stop it. Children
 * started with `wait: false` count too: each run still starts the next one.
 */
export const childWorkflow: Check = {
  rule: 'child-workflow',
  description: '`child.workflow` does not resolve to a file being validated, or child workflows call each other in an unbounded cycle.',
  run(ctx) {
    const set = ctx.workflows;
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if (!('child' in step)) continue;
      const ref = step.child.workflow;
      if (set.resolve(ctx.file, ref) !== undefined) continue;
      const at = [...path, 'child', 'workflow'];
      if (isPathReference(ref)) {
        // Compare file stems (`./shiping.yaml` ~ `shipping`): whole paths share too much to rank well.
        const byStem = new Map(set.files().map((f) => [stem(f.file), relativeRef(ctx.file, f)] as const));
        const near = closest(stem(ref), byStem.keys());
        const match = near === undefined ? undefined : byStem.get(near);
        ctx.report(
          at,
          `step \`${step.id}\`: child workflow file \`${ref}\` is not among the files being validated ` +
            `(paths are relative to this file's directory)` +
            (match ? `; did you mean \`${match}\`?` : '; check the path, and that the file exists and loads'),
        );
      } else {
        const names = set.files().map(nameOf).filter((n): n is string => n !== undefined);
        const match = closest(ref, names);
        ctx.report(
          at,
          `step \`${step.id}\`: child workflow \`${ref}\` is not the name of any workflow being validated` +
            (match ? `; did you mean \`${match}\`? If not,` : ';') +
            ` pass its file to \`revo validate\` too, or reference it by path (\`./${ref}.yaml\`)`,
        );
      }
    }

    for (const child of certainChildren(set, ctx.file)) {
      const cycle = pathBack(set, child.target, ctx.file);
      if (!cycle) continue;
      const names = [ctx.file, ...cycle].map(label).join(' → ');
      const self = child.target === ctx.file;
      ctx.report(
        [...child.path, 'child', 'workflow'],
        `step \`${child.step.id}\` starts an endless recursion of child workflows: ${names}; ` +
          `every child step on this cycle runs on every run${self ? '' : ' of its workflow'}, so each run starts another and the chain never ends — ` +
          `guard one of these steps with \`when\` or a \`switch\` case, or end the run with \`return\` before it when there is nothing left to do`,
      );
    }
  },
};

function nameOf(file: LoadedFile): string | undefined {
  const name = (file.definition as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

function label(file: LoadedFile): string {
  return nameOf(file) ?? basename(file.file);
}

function stem(path: string): string {
  return basename(path).replace(/\.ya?ml$/, '');
}

function relativeRef(from: LoadedFile, to: LoadedFile): string {
  const rel = relative(dirname(from.file), to.file).split('\\').join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The files a path of always-running child steps leads through from `start` back to `goal` (ending with `goal`). */
function pathBack(set: WorkflowSet, start: LoadedFile, goal: LoadedFile): LoadedFile[] | undefined {
  const cameFrom = new Map<LoadedFile, LoadedFile | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (file === goal) {
      const chain: LoadedFile[] = [];
      for (let f: LoadedFile | null | undefined = file; f; f = cameFrom.get(f)) chain.unshift(f);
      return chain;
    }
    for (const { target } of certainChildren(set, file)) {
      if (cameFrom.has(target)) continue;
      cameFrom.set(target, file);
      queue.push(target);
    }
  }
  return undefined;
}

const cache = new WeakMap<WorkflowSet, WeakMap<LoadedFile, CertainChild[]>>();

/** The always-running child steps of a file that resolve in the set (cached per set). */
function certainChildren(set: WorkflowSet, file: LoadedFile): CertainChild[] {
  let perFile = cache.get(set);
  if (!perFile) cache.set(set, (perFile = new WeakMap()));
  let children = perFile.get(file);
  if (!children) {
    children = [];
    const steps = (file.definition as { steps?: unknown } | undefined)?.steps;
    try {
      if (Array.isArray(steps)) collect(set, file, steps as Step[], ['steps'], children);
    } catch {
      // Another file that is not schema-valid: its own diagnostics say why; no edges from it.
      children = [];
    }
    perFile.set(file, children);
  }
  return children;
}

function collect(set: WorkflowSet, file: LoadedFile, steps: readonly Step[], path: JsonPath, out: CertainChild[]): void {
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (typeof step !== 'object' || step === null) return;
    const stepPath = [...path, i];
    if (step.when === undefined) {
      if ('child' in step && typeof step.child?.workflow === 'string') {
        const target = set.resolve(file, step.child.workflow);
        if (target?.definition !== undefined) out.push({ step, path: stepPath, target });
      }
      const seqs = sequencesOf(step, stepPath);
      // With the default failFast, a branch that may fail can cancel its siblings first.
      const branchMayEnd = 'parallel' in step && seqs.some((s) => mayEnd(s.steps));
      for (const seq of seqs) {
        if (seq.role === 'try' || seq.role === 'finally' || (seq.role === 'branch' && !branchMayEnd)) collect(set, file, seq.steps, seq.path, out);
      }
    }
    // Whatever follows a step that may return or fail is not certain to run.
    if (mayEnd([step])) return;
  }
}

/** Whether a `return` or `fail` step stands anywhere in these steps. */
function mayEnd(steps: readonly Step[]): boolean {
  for (const { step } of walkSteps(steps as Step[])) if ('return' in step || 'fail' in step) return true;
  return false;
}
