/**
 * A run's definitions by value (docs/architecture.md): the workflow, every child it
 * references (recursively), and the own default options of the activities they call.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { CallOptions, CallStep, WorkflowDefinition } from '../../interpreter/model.js';
import { walkSteps } from '../../interpreter/walk.js';
import type { ActivitySpec, Catalog } from '../activities/types.js';
import { UsageError } from '../errors.js';
import type { LoadedFile } from './load.js';
import { childReferences, type WorkflowSet } from './workflow-set.js';

/** Option level 5: the activity's own defaults, with the catalog's task queue under its own `taskQueue`. */
export function activityDefaultOptions(spec: ActivitySpec): CallOptions | undefined {
  if (spec.taskQueue === undefined) return spec.defaults;
  return { ...spec.defaults, taskQueue: spec.defaults?.taskQueue ?? spec.taskQueue };
}

/** Builds the bundle of a loaded, valid file. Child references must resolve within `set`. */
export function buildBundle(file: LoadedFile, set: WorkflowSet, catalog: Catalog, parents: readonly string[] = []): WorkflowBundle {
  const definition = file.definition as WorkflowDefinition;
  const children: WorkflowBundle['children'] = {};
  for (const ref of new Set(childReferences(file))) {
    const target = set.resolve(file, ref);
    if (!target) throw new UsageError(`${file.file}: the child workflow "${ref}" is not among the files loaded; pass its file too`);
    if (target.file === file.file || parents.includes(target.file)) {
      throw new UsageError(`${file.file}: child workflows form a cycle through "${ref}"; a run's definitions must be finite`);
    }
    children[ref] = buildBundle(target, set, catalog, [...parents, file.file]);
  }
  const activityDefaults: Record<string, CallOptions> = {};
  const external: NonNullable<WorkflowBundle['external']> = {};
  for (const { step } of walkSteps(definition.steps)) {
    const name = (step as CallStep).call;
    const spec = name === undefined ? undefined : catalog.get(name);
    if (!spec) continue;
    const defaults = activityDefaultOptions(spec);
    if (defaults) activityDefaults[name] = defaults;
    if (spec.external) external[name] = { taskQueue: spec.taskQueue!, input: spec.input, output: spec.output };
  }
  return { definition, hash: file.hash!, children, activityDefaults, ...(Object.keys(external).length > 0 && { external }) };
}
