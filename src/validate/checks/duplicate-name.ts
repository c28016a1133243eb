import type { LoadedFile } from '../../load/load.js';
import type { WorkflowSet } from '../../load/workflow-set.js';
import type { Check } from '../check.js';

/** Files by workflow name, in set order; built once per set (and rebuilt if files were added). */
const byName = new WeakMap<WorkflowSet, { count: number; names: Map<string, LoadedFile[]> }>();

function filesNamed(set: WorkflowSet, name: string): LoadedFile[] {
  const files = set.files();
  let index = byName.get(set);
  if (!index || index.count !== files.length) {
    const names = new Map<string, LoadedFile[]>();
    for (const file of files) {
      const n = (file.definition as { name?: unknown } | undefined)?.name;
      if (typeof n !== 'string') continue;
      const list = names.get(n) ?? [];
      list.push(file);
      names.set(n, list);
    }
    index = { count: files.length, names };
    byName.set(set, index);
  }
  return index.names.get(name) ?? [];
}

/** docs/dsl.md#the-file: a workflow `name` is unique in a definitions set. */
export const duplicateName: Check = {
  rule: 'duplicate-name',
  description: 'Two workflow files in the set declare the same `name`.',
  run(ctx) {
    const name = ctx.definition.name;
    const same = filesNamed(ctx.workflows, name);
    const index = same.indexOf(ctx.file);
    if (index <= 0) return;
    const firstFile = same[0]!;
    const line = firstFile.source.rangeOf(['name']).line;
    ctx.report(
      ['name'],
      `workflow name \`${name}\` is already used by ${firstFile.file}:${line}; names must be unique in a definitions set ` +
        `(child steps, runs and deploys find a workflow by name) — rename one of them`,
    );
  },
};
