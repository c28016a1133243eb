import type { Check } from '../check.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';

/** docs/dsl.md#steps: step ids (and parallel branch ids) are unique in the whole file, nested steps included. */
export const duplicateId: Check = {
  rule: 'duplicate-id',
  description: 'Step ids and parallel branch ids must be unique in the whole file, nested steps included.',
  run(ctx) {
    const first = new Map<string, { path: JsonPath; what: string }>();
    const see = (id: string, path: JsonPath, what: string) => {
      const earlier = first.get(id);
      if (!earlier) {
        first.set(id, { path, what });
        return;
      }
      const line = ctx.file.source.rangeOf(earlier.path).line;
      ctx.report(
        path,
        `${what} id \`${id}\` is already used by the ${earlier.what} at line ${line}; ids must be unique in the whole file ` +
          `(nested steps and parallel branches included) because history, retries and queries name steps by id — rename one of them`,
      );
    };
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      see(step.id, [...path, 'id'], 'step');
      if ('parallel' in step) step.parallel.forEach((branch, i) => see(branch.id, [...path, 'parallel', i, 'id'], 'parallel branch'));
    }
  },
};
