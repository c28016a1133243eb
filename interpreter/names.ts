/**
 * Where a definition names a variable (`set` keys, `result`, a foreach `as`/`index`, a
 * catch `as`), and the names no variable may have: `__proto__`, `prototype` and
 * `constructor` (docs/dsl.md#variables-and-scope). The validator reports them
 * (forbidden-name) and the interpreter refuses such a definition before any step runs.
 */
import type { WorkflowBundle } from './bundle.js';
import { WorkflowError } from './errors.js';
import { FORBIDDEN_SEGMENTS } from './expression-syntax.js';
import type { Step } from './model.js';
import { walkSteps, type JsonPath } from './walk.js';

export { FORBIDDEN_SEGMENTS as FORBIDDEN_NAMES };

/** One place where a step names a variable. */
export interface VariableSite {
  name: string;
  /** JSON path of the name (of the key itself for a `set` key). */
  path: JsonPath;
  /** Whether the name is a mapping key (`set`), not a value. */
  key: boolean;
  step: string;
  /** How the step names it: "`set`", "`result`", "the foreach `as`", … */
  how: string;
}

/** Every variable a step of `steps` (or one nested in it) names, in document order. */
export function* variableSites(steps: Step[]): Generator<VariableSite> {
  for (const { step, path } of walkSteps(steps)) {
    const s = step as unknown as { set?: unknown; result?: unknown; foreach?: unknown; as?: unknown; index?: unknown; try?: unknown; catch?: unknown };
    const id = step.id;
    if (s.set !== null && typeof s.set === 'object') {
      for (const name of Object.keys(s.set)) yield { name, path: [...path, 'set', name], key: true, step: id, how: '`set`' };
    }
    if (typeof s.result === 'string') yield { name: s.result, path: [...path, 'result'], key: false, step: id, how: '`result`' };
    if (s.foreach !== undefined) {
      if (typeof s.as === 'string') yield { name: s.as, path: [...path, 'as'], key: false, step: id, how: 'the foreach `as`' };
      if (typeof s.index === 'string') yield { name: s.index, path: [...path, 'index'], key: false, step: id, how: 'the foreach `index`' };
    }
    if (s.try !== undefined && Array.isArray(s.catch)) {
      const clauses = s.catch as { as?: unknown }[];
      for (let i = 0; i < clauses.length; i++) {
        const as = clauses[i]?.as;
        if (typeof as === 'string') yield { name: as, path: [...path, 'catch', i, 'as'], key: false, step: id, how: 'a catch `as`' };
      }
    }
  }
}

/** The sites of `steps` that name a variable `__proto__`, `prototype` or `constructor`. */
export function* forbiddenNames(steps: Step[]): Generator<VariableSite> {
  for (const site of variableSites(steps)) if (FORBIDDEN_SEGMENTS.has(site.name)) yield site;
}

/**
 * The error a run of `bundle` fails with before any step runs when its definition, or a
 * child's it may start, names a variable with a forbidden name; undefined when none does.
 */
export function forbiddenNameError(bundle: WorkflowBundle): WorkflowError | undefined {
  const seen = new Set<WorkflowBundle>();
  const pending: { bundle: WorkflowBundle; via: string }[] = [{ bundle, via: '' }];
  while (pending.length > 0) {
    const { bundle: current, via } = pending.shift()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const site = forbiddenNames(current.definition.steps).next().value as VariableSite | undefined;
    if (site) {
      const where = via ? `child workflow "${current.definition.name}" (${via}): ` : '';
      return new WorkflowError(
        'InvalidInput',
        `${where}step "${site.step}" names a variable "${site.name}" with ${site.how}; __proto__, prototype and constructor ` +
          'cannot be variable names, so the run was refused before any step ran (rename the variable)',
        { ...(via === '' && { step: site.step }), nonRetryable: true },
      );
    }
    for (const [reference, child] of Object.entries(current.children ?? {})) pending.push({ bundle: child, via: `\`${reference}\`` });
  }
  return undefined;
}
