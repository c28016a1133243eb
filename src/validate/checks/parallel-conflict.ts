import type { Step } from '../../../interpreter/model.js';
import { sequencesOf, walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check } from '../check.js';

/** One assignment to the workflow scope: a `set` key or a step's `result`. */
export interface ScopeWrite {
  name: string;
  /** The step that assigns. */
  step: Step;
  stepPath: JsonPath;
  /** Where to point: the `set` key (report with `key: true`) or the `result` value. */
  at: JsonPath;
  key: boolean;
}

/**
 * Every write a sequence may make to the scope it runs in (docs/dsl.md#variables-and-scope), in document
 * order: `set` keys and `result`s, nested ones included — except inside `foreach`
 * bodies (their writes are discarded; only the foreach's own `result` stays) and
 * `compensate` steps (they run on a copy of the scope).
 */
export function scopeWrites(steps: readonly Step[], path: JsonPath, out: ScopeWrite[] = []): ScopeWrite[] {
  steps.forEach((step, i) => {
    const stepPath = [...path, i];
    if ('set' in step) {
      for (const name of Object.keys(step.set)) out.push({ name, step, stepPath, at: [...stepPath, 'set', name], key: true });
    }
    const result = (step as { result?: unknown }).result;
    if (typeof result === 'string') out.push({ name: result, step, stepPath, at: [...stepPath, 'result'], key: false });
    for (const seq of sequencesOf(step, stepPath)) {
      if (seq.role !== 'iteration' && seq.role !== 'compensate') scopeWrites(seq.steps, seq.path, out);
    }
  });
  return out;
}

/**
 * docs/dsl.md#variables-and-scope: parallel branches start from a copy of the scope and their writes are
 * merged back in branch order, so two branches that may write the same variable
 * would silently race for it.
 */
export const parallelConflict: Check = {
  rule: 'parallel-conflict',
  description: 'Two branches of one `parallel` step may write the same variable.',
  run(ctx) {
    const line = (path: JsonPath) => ctx.file.source.rangeOf(path).line;
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if (!('parallel' in step)) continue;
      // The first writer of each variable, per branch.
      const firstWriter = new Map<string, { branch: string; write: ScopeWrite }>();
      step.parallel.forEach((branch, i) => {
        const seen = new Set<string>();
        for (const write of scopeWrites(branch.steps, [...path, 'parallel', i, 'steps'])) {
          if (seen.has(write.name)) continue;
          seen.add(write.name);
          const earlier = firstWriter.get(write.name);
          if (!earlier) {
            firstWriter.set(write.name, { branch: branch.id, write });
            continue;
          }
          ctx.report(
            write.at,
            `step \`${write.step.id}\` in branch \`${branch.id}\` of parallel step \`${step.id}\` may write \`${write.name}\`, ` +
              `which branch \`${earlier.branch}\` also writes (step \`${earlier.write.step.id}\`, line ${line(earlier.write.at)}); ` +
              `branches run on copies of the scope and are merged back in branch order, so one value would silently replace the other — ` +
              `give each branch its own variable and combine them after step \`${step.id}\``,
            { key: write.key },
          );
        }
      });
    }
  },
};
