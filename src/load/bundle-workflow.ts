/**
 * A workflow file ready to run: loaded with the child workflows it needs, validated
 * against an activity catalog and bundled by value. Any error is a ValidationError
 * carrying the diagnostics (nothing is run).
 */
import { dirname, resolve } from 'node:path';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Catalog } from '../activities/types.js';
import { UsageError, ValidationError } from '../errors.js';
import { validateFile } from '../validate/validate.js';
import { buildBundle } from './bundle.js';
import { workflowFiles } from './files.js';
import type { LoadedFile } from './load.js';
import { childReferences, isPathReference, WorkflowSet } from './workflow-set.js';

export async function bundleWorkflow(file: string, catalog: Catalog): Promise<WorkflowBundle> {
  const set = await loadWorkflows(file);
  const used = reachable(set, file);
  const diagnostics = used.flatMap((f) => validateFile(f, set, { catalog })).filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) throw new ValidationError(file, diagnostics, new Map(set.files().map((f) => [f.file, f.text])));
  return buildBundle(used[0]!, set, catalog);
}

/**
 * The workflow and the children it references. A child named (not given by path) is
 * looked for among the workflow files in the same directory.
 */
async function loadWorkflows(file: string): Promise<WorkflowSet> {
  const set = await WorkflowSet.load([file]);
  const named = set.files().some((f) => childReferences(f).some((ref) => !isPathReference(ref) && !set.resolve(f, ref)));
  if (!named) return set;
  return WorkflowSet.load([file, ...(await workflowFiles([dirname(file)])).filter((f) => resolve(f) !== resolve(file))]);
}

/** The file and, transitively, the child workflows it references: what a run of it needs. */
function reachable(set: WorkflowSet, file: string): LoadedFile[] {
  const root = set.files().find((f) => resolve(f.file) === resolve(file));
  if (!root) throw new UsageError(`cannot load ${file}`);
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const ref of childReferences(out[i]!)) {
      const target = set.resolve(out[i]!, ref);
      if (target && !out.includes(target)) out.push(target);
    }
  }
  return out;
}
