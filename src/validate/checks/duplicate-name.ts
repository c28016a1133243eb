import type { Check } from '../check.js';

/** DSL.md §1: a workflow `name` is unique in a definitions set. */
export const duplicateName: Check = {
  rule: 'duplicate-name',
  description: 'Two workflow files in the set declare the same `name`.',
  run(ctx) {
    const name = ctx.definition.name;
    const same = ctx.workflows.named(name);
    const index = same.indexOf(ctx.file);
    if (index <= 0) return;
    const firstFile = same[0]!;
    const line = firstFile.source.rangeOf(['name']).line;
    ctx.report(
      ['name'],
      `workflow name \`${name}\` is already used by ${firstFile.file}:${line}; names must be unique in a definitions set ` +
        `(child steps, runs and deploys find a workflow by name) — rename one of them`,
    );
  },
};
