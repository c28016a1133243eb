import type { Check } from '../check.js';
import { walkSteps } from '../../../interpreter/walk.js';
import { didYouMean } from '../suggest.js';

/** docs/dsl.md#activities: a `call` names an activity of the catalog. */
export const unknownActivity: Check = {
  rule: 'unknown-activity',
  description: 'A `call` step names an activity that is not in the activity catalog (or an `activities:` entry matches none).',
  run(ctx) {
    // Options under `activities:` that match no activity are dead configuration, likely a typo.
    const names = [...ctx.catalog.keys()];
    for (const pattern of Object.keys(ctx.definition.activities ?? {})) {
      const prefix = pattern.endsWith('.*') ? pattern.slice(0, -1) : undefined;
      const matches = prefix === undefined ? ctx.catalog.has(pattern) : names.some((n) => n.startsWith(prefix));
      if (matches) continue;
      const candidates = prefix === undefined ? names : [...new Set(names.filter((n) => n.includes('.')).map((n) => n.slice(0, n.lastIndexOf('.')) + '.*'))];
      ctx.report(
        ['activities', pattern],
        `\`activities.${pattern}\` matches no activity in the catalog, so these options apply to nothing` +
          (didYouMean(pattern, candidates) || '; name an activity (`payments.charge`) or a prefix (`payments.*`) that call steps use'),
        { severity: 'warning', key: true },
      );
    }
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if (!('call' in step) || ctx.catalog.has(step.call)) continue;
      const hint = didYouMean(step.call, ctx.catalog.keys());
      ctx.report(
        [...path, 'call'],
        `step \`${step.id}\` calls activity \`${step.call}\`, which is not in the activity catalog` +
          (hint || '; add its definition with --activities <module> or --catalog <file>'),
      );
    }
  },
};
