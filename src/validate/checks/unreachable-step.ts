import type { Step } from '../../../interpreter/model.js';
import { sequencesOf, type JsonPath } from '../../../interpreter/walk.js';
import type { Check, CheckContext } from '../check.js';

/**
 * Why a step always ends the run (or, inside a `try`, always leaves its sequence by
 * raising), or undefined when that is not certain. Only certainties count: a step
 * with `when` may be skipped, a loop may run zero times, a switch without `default`
 * may run nothing, and a `try` continues when a `catch` handles the error.
 */
export function alwaysEnds(step: Step): string | undefined {
  if (step.when !== undefined) return undefined;
  if ('return' in step) return 'returns';
  if ('fail' in step) return `always fails with \`${step.fail.type}\``;
  if ('switch' in step) {
    if (!step.default) return undefined;
    const all = [...step.switch.map((c) => c.steps), step.default].every((steps) => sequenceEnds(steps) !== undefined);
    return all ? 'ends the run in every case, `default` included' : undefined;
  }
  if ('parallel' in step) {
    const branch = step.parallel.find((b) => sequenceEnds(b.steps) !== undefined);
    return branch ? `always fails in branch \`${branch.id}\`` : undefined;
  }
  if ('try' in step) {
    if (step.finally && sequenceEnds(step.finally) !== undefined) return 'always ends the run in its `finally`';
    if (sequenceEnds(step.try) !== undefined && (step.catch ?? []).every((c) => sequenceEnds(c.steps) !== undefined)) {
      return (step.catch ?? []).length > 0 ? 'ends the run in its `try` and in every `catch`' : 'always ends the run in its `try`';
    }
    return undefined;
  }
  return undefined;
}

/** The first step of a sequence that always ends it, with why. */
export function sequenceEnds(steps: readonly Step[]): { index: number; why: string } | undefined {
  for (let index = 0; index < steps.length; index++) {
    const why = alwaysEnds(steps[index]!);
    if (why !== undefined) return { index, why };
  }
  return undefined;
}

/** Steps that follow, in the same sequence, a step that always ends the run. */
export const unreachableStep: Check = {
  rule: 'unreachable-step',
  description: 'A step can never run: an earlier step of the same sequence always returns or fails.',
  run(ctx) {
    checkSequence(ctx, ctx.definition.steps, ['steps']);
  },
};

function checkSequence(ctx: CheckContext, steps: readonly Step[], path: JsonPath): void {
  const end = sequenceEnds(steps);
  const reachable = end === undefined ? steps.length : end.index + 1;
  for (let i = 0; i < reachable; i++) {
    for (const seq of sequencesOf(steps[i]!, [...path, i])) checkSequence(ctx, seq.steps, seq.path);
  }
  if (end === undefined || reachable >= steps.length) return;
  const ender = steps[end.index]!;
  const first = steps[reachable]!;
  const more = steps.length - reachable - 1;
  const line = ctx.file.source.rangeOf([...path, end.index]).line;
  ctx.report(
    [...path, reachable],
    `step \`${first.id}\`${more > 0 ? ` (and the ${more} step${more > 1 ? 's' : ''} after it)` : ''} can never run: ` +
      `step \`${ender.id}\` (line ${line}) before it ${end.why}; remove the unreachable steps or move them before step \`${ender.id}\``,
    { severity: 'warning' },
  );
}
