import { FORBIDDEN_SEGMENTS } from '../../../interpreter/expression-syntax.js';
import type { Check } from '../check.js';
import { definitionJson, templateSites, varPaths } from '../templates.js';

const ANY_SEGMENT = new RegExp([...FORBIDDEN_SEGMENTS].join('|'));

/** docs/dsl.md#expressions-and-templates: a `var` path must not contain `__proto__`, `prototype` or `constructor`. */
export const forbiddenSegment: Check = {
  rule: 'forbidden-segment',
  description: 'A `var` path contains the segment `__proto__`, `prototype` or `constructor`.',
  run(ctx) {
    if (!ANY_SEGMENT.test(definitionJson(ctx.definition))) return; // the common case, without walking
    for (const site of templateSites(ctx.definition)) {
      for (const ref of varPaths(site.value, site.path, site.expression)) {
        const bad = ref.name.split('.').find((segment) => FORBIDDEN_SEGMENTS.has(segment));
        if (bad === undefined) continue;
        const owner = site.step ? ` in \`${site.field}\` of step \`${site.step.id}\`` : ` in \`${site.field}\``;
        ctx.report(
          ref.path,
          `variable path \`${ref.name}\`${owner} has the segment \`${bad}\`, which could reach object prototypes; ` +
            `it is refused at run time too — rename the variable or property`,
        );
      }
    }
  },
};
