/** The semantic diff of two versions of a definition (see model.ts). */
import type { WorkflowDefinition } from '../../interpreter/model.js';
import { formatPath } from '../validate/schema-messages.js';
import { inputChanges, queryChanges, signalChanges } from './interface.js';
import type { Change, DefinitionDiff } from './model.js';
import { stepChanges } from './steps.js';
import { asJson, beforeAfter, valueChanges } from './values.js';

/** Workflow-level keys compared as plain values, in the order changes are listed. */
const OPTION_KEYS = ['name', 'version', 'description', 'timeout', 'priority', 'defaults', 'activities', 'schedule'] as const;

export function diffDefinitions(before: WorkflowDefinition, after: WorkflowDefinition): DefinitionDiff {
  const changes: Change[] = [
    ...optionChanges(before, after),
    ...inputChanges(before, after),
    ...signalChanges(before, after),
    ...queryChanges(before, after),
    ...outputChanges(before, after),
    ...stepChanges(before.steps, after.steps),
  ];
  return { before: { name: before.name }, after: { name: after.name }, changes };
}

function optionChanges(before: WorkflowDefinition, after: WorkflowDefinition): Change[] {
  return OPTION_KEYS.flatMap((key) =>
    valueChanges(asJson(before[key]), asJson(after[key]), [key]).map((change): Change => {
      const path = formatPath(change.path);
      // Schedules, starters and parent workflows find a workflow by its name.
      const renamed = key === 'name';
      return {
        area: 'workflow',
        kind: change.kind,
        path,
        ...beforeAfter(change.before, change.after),
        breaking: renamed,
        summary: renamed ? `workflow renamed from \`${before.name}\` to \`${after.name}\`: whatever starts it by name must change too` : `\`${path}\` ${change.kind}`,
      };
    }),
  );
}

function outputChanges(before: WorkflowDefinition, after: WorkflowDefinition): Change[] {
  return valueChanges(before.output, after.output, ['output']).map((change): Change => {
    const path = formatPath(change.path);
    return { area: 'output', kind: change.kind, path, ...beforeAfter(change.before, change.after), breaking: false, summary: `output template: \`${path}\` ${change.kind}` };
  });
}
