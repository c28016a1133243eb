import type { CallStep } from '../../../interpreter/model.js';
import { activityLevels } from '../../../interpreter/options.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Catalog } from '../../activities/types.js';
import { activityDefaultOptions } from '../../load/bundle.js';
import type { Check, CheckContext } from '../check.js';

/**
 * docs/dsl.md#routing: task queues that no catalog entry is served on (likely a typo: a
 * call routed there waits until some worker polls it), external activities routed away
 * from their queue, and routing that a local activity cannot follow.
 */
export const taskQueue: Check = {
  rule: 'task-queue',
  description: 'A `taskQueue` named nowhere in the catalog, an external activity sent to another queue, or a local activity given a queue.',
  run(ctx) {
    const known = knownQueues(ctx.catalog);
    const def = ctx.definition;
    unknownQueue(ctx, known, def.defaults?.taskQueue, ['defaults', 'taskQueue']);
    for (const [pattern, options] of Object.entries(def.activities ?? {})) unknownQueue(ctx, known, options.taskQueue, ['activities', pattern, 'taskQueue']);
    for (const { step, path } of walkSteps(def.steps)) {
      if (!('call' in step)) continue;
      unknownQueue(ctx, known, step.taskQueue, [...path, 'taskQueue']);
      const spec = ctx.catalog.get(step.call);
      if (step.local === true) {
        if (spec?.external) {
          ctx.report([...path, 'local'], `step \`${step.id}\` calls \`${step.call}\`, an external activity, as a local activity; only its own workers can run it — remove \`local: true\``);
        } else if (step.taskQueue !== undefined) {
          ctx.report([...path, 'taskQueue'], `step \`${step.id}\` is a local activity, which runs in the workflow's own worker, so its \`taskQueue\` is ignored; remove one of the two`, { severity: 'warning' });
        }
        continue;
      }
      if (!spec?.external) continue;
      const routed = routedQueue(ctx, step);
      if (routed !== undefined && routed !== spec.taskQueue) {
        ctx.report(
          [...path, step.taskQueue !== undefined ? 'taskQueue' : 'call'],
          `step \`${step.id}\` sends \`${step.call}\` to task queue \`${routed}\`, but the catalog says its workers poll \`${spec.taskQueue}\`; route it there, or drop the \`taskQueue\` that overrides it`,
          { severity: 'warning' },
        );
      }
    }
  },
};

/** The queues catalog entries say their activities are served on. */
function knownQueues(catalog: Catalog): Set<string> {
  const queues = new Set<string>();
  for (const spec of catalog.values()) {
    const queue = activityDefaultOptions(spec)?.taskQueue;
    if (queue !== undefined) queues.add(queue);
  }
  return queues;
}

function unknownQueue(ctx: CheckContext, known: Set<string>, queue: string | undefined, path: JsonPath): void {
  if (queue === undefined || known.has(queue)) return;
  ctx.report(
    path,
    `task queue \`${queue}\` is named nowhere in the activity catalog, so no worker may be polling it (a call routed there waits until one does); ` +
      'check the name, or pass the catalog of the workers serving it with --catalog (docs/dsl.md#routing)',
    { severity: 'warning' },
  );
}

/** The queue the step's options route it to (as effectiveOptions merges them), the catalog's own included. */
function routedQueue(ctx: CheckContext, step: CallStep): string | undefined {
  const spec = ctx.catalog.get(step.call);
  const levels = [{ taskQueue: step.taskQueue }, ...activityLevels(ctx.definition.activities, step.call), ctx.definition.defaults ?? {}, (spec && activityDefaultOptions(spec)) ?? {}];
  return levels.find((level) => level.taskQueue !== undefined)?.taskQueue;
}
