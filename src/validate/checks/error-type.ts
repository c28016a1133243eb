import { ERROR_TYPES } from '../../../interpreter/errors.js';
import type { RetryPolicy } from '../../../interpreter/model.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check } from '../check.js';
import { closest } from '../suggest.js';

/**
 * Error types are open (activities and `fail` steps raise their own), so an unknown
 * one is fine; but one a letter away from a standard type (`Timout`) is a typo that
 * makes a `catch` or a retry list silently never match.
 */
export const errorType: Check = {
  rule: 'error-type',
  description: 'An error type in `catch.errors`, `retryOn` or `nonRetryable` looks like a misspelt standard type.',
  run(ctx) {
    const def = ctx.definition;
    const raised = new Set<string>();
    for (const { step } of walkSteps(def.steps)) if ('fail' in step) raised.add(step.fail.type);
    const known = new Set<string>([...ERROR_TYPES, ...raised]);
    const look = (type: string, path: JsonPath, where: string) => {
      if (known.has(type)) return;
      const near = closest(type, known);
      if (!near) return;
      ctx.report(
        path,
        `error type \`${type}\` in ${where} is not a standard type nor raised by a \`fail\` step here; did you mean \`${near}\`? ` +
          '(error types are matched exactly, so a misspelt one never matches)',
        { severity: 'warning' },
      );
    };
    const policy = (retry: RetryPolicy | undefined, path: JsonPath, owner: string) => {
      retry?.retryOn?.forEach((t, i) => look(t, [...path, 'retryOn', i], `\`retryOn\` of ${owner}`));
      retry?.nonRetryable?.forEach((t, i) => look(t, [...path, 'nonRetryable', i], `\`nonRetryable\` of ${owner}`));
    };
    policy(def.defaults?.retry, ['defaults', 'retry'], 'the `defaults` retry policy');
    for (const [pattern, opts] of Object.entries(def.activities ?? {})) policy(opts.retry, ['activities', pattern, 'retry'], `\`activities.${pattern}\``);
    for (const { step, path } of walkSteps(def.steps)) {
      if ('call' in step) policy(step.retry, [...path, 'retry'], `step \`${step.id}\``);
      if ('try' in step) {
        (step.catch ?? []).forEach((c, i) => c.errors?.forEach((t, j) => look(t, [...path, 'catch', i, 'errors', j], `a \`catch\` of step \`${step.id}\``)));
      }
    }
  },
};
