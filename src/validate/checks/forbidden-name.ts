import { forbiddenNames } from '../../../interpreter/names.js';
import type { Check } from '../check.js';

/** docs/dsl.md#variables-and-scope: no variable may be named `__proto__`, `prototype` or `constructor`. */
export const forbiddenName: Check = {
  rule: 'forbidden-name',
  description: 'A step names a variable `__proto__`, `prototype` or `constructor` (with `set`, `result`, a foreach `as`/`index` or a catch `as`).',
  run(ctx) {
    for (const site of forbiddenNames(ctx.definition.steps)) {
      ctx.report(
        site.path,
        `step \`${site.step}\` names a variable \`${site.name}\` with ${site.how}, which could reach object prototypes; ` +
          'it is refused at run time too, before any step runs — choose another variable name',
        { key: site.key },
      );
    }
  },
};
