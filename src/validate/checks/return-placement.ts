import type { Check } from '../check.js';
import { walkSteps } from '../../../interpreter/walk.js';

/** docs/dsl.md#return: `return` is not allowed inside `parallel` or `foreach`. */
export const returnPlacement: Check = {
  rule: 'return-placement',
  description: 'A `return` step stands inside a `parallel` branch or a `foreach` body.',
  run(ctx) {
    for (const { step, path, enclosing } of walkSteps(ctx.definition.steps)) {
      if (!('return' in step)) continue;
      const inside = [...enclosing].reverse().find((e) => e.role === 'branch' || e.role === 'iteration');
      if (!inside) continue;
      const where = inside.role === 'branch' ? `a \`parallel\` branch of step \`${inside.step.id}\`` : `the \`foreach\` body of step \`${inside.step.id}\``;
      ctx.report(
        [...path, 'return'],
        `step \`${step.id}\`: \`return\` is not allowed inside ${where}, which runs concurrently or per item; ` +
          `assign the value to a variable (or use \`collect\`) and return after step \`${inside.step.id}\``,
        { key: true },
      );
    }
  },
};
