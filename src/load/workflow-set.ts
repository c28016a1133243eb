import { dirname, resolve } from 'node:path';
import type { ChildStep, WorkflowDefinition } from '../../interpreter/model.js';
import { walkSteps } from '../../interpreter/walk.js';
import { loadFile, type LoadedFile } from './load.js';

/** A child reference is a path when it looks like one; otherwise it is a workflow name. */
export function isPathReference(ref: string): boolean {
  return ref.startsWith('./') || ref.startsWith('../') || /\.ya?ml$/.test(ref);
}

/**
 * The workflows loaded together: the files given on the command line plus any file
 * they reference by path. `child.workflow` resolves within this set.
 */
export class WorkflowSet {
  private readonly byPath = new Map<string, LoadedFile>();

  constructor(files: Iterable<LoadedFile> = []) {
    for (const file of files) this.add(file);
  }

  /** Loads the given files and, transitively, the files their child steps reference by path. */
  static async load(paths: readonly string[]): Promise<WorkflowSet> {
    const set = new WorkflowSet(await Promise.all(paths.map((p) => loadFile(p))));
    let pending = set.files();
    while (pending.length > 0) {
      const missing = new Set<string>();
      for (const file of pending) {
        for (const ref of childReferences(file)) {
          if (isPathReference(ref)) {
            const target = resolve(dirname(file.file), ref);
            if (!set.byPath.has(target)) missing.add(target);
          }
        }
      }
      pending = (await Promise.all([...missing].map((p) => loadFile(p)))).filter((f) => f.definition !== undefined);
      for (const file of pending) set.add(file);
    }
    return set;
  }

  add(file: LoadedFile): void {
    this.byPath.set(resolve(file.file), file);
  }

  files(): LoadedFile[] {
    return [...this.byPath.values()];
  }

  /** The loaded files whose definition has this `name`. */
  named(name: string): LoadedFile[] {
    return this.files().filter((f) => definitionName(f) === name);
  }

  /** The file a `child.workflow` reference in `from` points at, if it is in the set. */
  resolve(from: LoadedFile, ref: string): LoadedFile | undefined {
    if (isPathReference(ref)) return this.byPath.get(resolve(dirname(from.file), ref));
    return this.named(ref)[0];
  }
}

function definitionName(file: LoadedFile): string | undefined {
  const name = (file.definition as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** The `child.workflow` references of a loaded file (best effort on unvalidated JSON). */
export function childReferences(file: LoadedFile): string[] {
  const definition = file.definition as WorkflowDefinition | undefined;
  if (!definition || !Array.isArray(definition.steps)) return [];
  const refs: string[] = [];
  try {
    for (const { step } of walkSteps(definition.steps)) {
      const ref = (step as ChildStep).child?.workflow;
      if (typeof ref === 'string') refs.push(ref);
    }
  } catch {
    // A malformed tree is reported by schema validation; references are best effort here.
  }
  return refs;
}
