/**
 * A run's definitions by value (docs/architecture.md): the workflow, every child it
 * references (recursively), and the own default options of the activities they call.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { CallOptions, CallStep, WorkflowDefinition } from '../../interpreter/model.js';
import { walkSteps } from '../../interpreter/walk.js';
import type { Catalog } from '../activities/types.js';
import { UsageError } from '../errors.js';
import type { LoadedFile } from './load.js';
import { childReferences, type WorkflowSet } from './workflow-set.js';

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
  for (const { step } of walkSteps(definition.steps)) {
    const name = (step as CallStep).call;
    const defaults = name === undefined ? undefined : catalog.get(name)?.defaults;
    if (defaults) activityDefaults[name] = defaults;
  }
  return { definition, hash: file.hash!, children, activityDefaults };
}
