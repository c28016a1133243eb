import { RESERVED_VARIABLES } from '../../../interpreter/model.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check } from '../check.js';

const MEANING: Record<string, string> = {
  input: 'the workflow input',
  workflow: "the run's metadata (name, version, id, runId, engine)",
  error: 'the error a `catch` handles',
};

const RESERVED: ReadonlySet<string> = new Set(RESERVED_VARIABLES);

/** docs/dsl.md#variables-and-scope: `input`, `workflow` and `error` may not be assigned. */
export const reservedName: Check = {
  rule: 'reserved-name',
  description: 'A step assigns `input`, `workflow` or `error` (with `set`, `result`, a foreach `as`/`index` or a catch `as`).',
  run(ctx) {
    const check = (name: string | undefined, path: JsonPath, stepId: string, how: string, key = false) => {
      if (name === undefined || !RESERVED.has(name)) return;
      ctx.report(
        path,
        `step \`${stepId}\` assigns \`${name}\` with ${how}, but \`${name}\` is reserved for ${MEANING[name]}; choose another variable name`,
        { key },
      );
    };
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if ('set' in step) for (const name of Object.keys(step.set)) check(name, [...path, 'set', name], step.id, '`set`', true);
      const s = step as { result?: unknown; as?: unknown; index?: unknown };
      if (typeof s.result === 'string') check(s.result, [...path, 'result'], step.id, '`result`');
      if ('foreach' in step) {
        check(step.as, [...path, 'as'], step.id, 'the foreach `as`');
        check(step.index, [...path, 'index'], step.id, 'the foreach `index`');
      }
      if ('try' in step) {
        // A catch's `as` defaults to `error`, so naming it `error` explicitly is fine.
        (step.catch ?? []).forEach((c, i) => {
          if (c.as !== 'error') check(c.as, [...path, 'catch', i, 'as'], step.id, 'a catch `as`');
        });
      }
    }
  },
};
