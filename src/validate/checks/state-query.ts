import type { Check } from '../check.js';

/** docs/dsl.md#signals-and-queries: `state` is the built-in query and may not be redeclared. */
export const stateQuery: Check = {
  rule: 'state-query',
  description: 'A declared query is named `state`, the name of the built-in query.',
  run(ctx) {
    if (!ctx.definition.queries || !Object.prototype.hasOwnProperty.call(ctx.definition.queries, 'state')) return;
    ctx.report(
      ['queries', 'state'],
      'query `state` is built in (it returns the run status, current steps, variables and completed step count) and cannot be redeclared; give this query another name',
      { key: true },
    );
  },
};
