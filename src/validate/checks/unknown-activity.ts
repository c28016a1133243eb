import type { Check } from '../check.js';
import { walkSteps } from '../../../interpreter/walk.js';
import { didYouMean } from '../suggest.js';

/** DSL.md §4: a `call` names an activity of the catalog. */
export const unknownActivity: Check = {
  rule: 'unknown-activity',
  description: 'A `call` step names an activity that is not in the activity catalog.',
  run(ctx) {
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if (!('call' in step) || ctx.catalog.has(step.call)) continue;
      const hint = didYouMean(step.call, ctx.catalog.keys());
      ctx.report(
        [...path, 'call'],
        `step \`${step.id}\` calls activity \`${step.call}\`, which is not in the activity catalog` +
          (hint || '; add its definition with --activities <module> or --catalog <file>'),
      );
    }
  },
};
