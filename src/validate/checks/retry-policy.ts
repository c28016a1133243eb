import { formatDuration, parseDuration } from '../../../interpreter/duration.js';
import { NEVER_RETRY } from '../../../interpreter/errors.js';
import type { RetryPolicy } from '../../../interpreter/model.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check, CheckContext } from '../check.js';

/**
 * docs/dsl.md#errors-timeouts-and-retries: retry policies that contradict themselves, in `defaults`, under
 * `activities:` and on call steps. Each policy is judged on its own fields.
 */
export const retryPolicy: Check = {
  rule: 'retry-policy',
  description: 'A retry policy that contradicts itself: maxInterval < initialInterval, backoff < 1, maxAttempts < 1, a type both retried and not.',
  run(ctx) {
    const def = ctx.definition;
    policy(ctx, def.defaults?.retry, ['defaults', 'retry'], 'the `defaults` retry policy');
    for (const [pattern, opts] of Object.entries(def.activities ?? {})) {
      policy(ctx, opts.retry, ['activities', pattern, 'retry'], `the retry policy of \`activities.${pattern}\``);
    }
    for (const { step, path } of walkSteps(def.steps)) {
      if ('call' in step) policy(ctx, step.retry, [...path, 'retry'], `the retry policy of step \`${step.id}\``);
    }
  },
};

function policy(ctx: CheckContext, retry: RetryPolicy | undefined, path: JsonPath, owner: string): void {
  if (!retry) return;
  const ms = (text: string | undefined) => (typeof text === 'string' ? parseDuration(text) : undefined);
  const initial = ms(retry.initialInterval);
  const max = ms(retry.maxInterval);
  const elapsed = ms(retry.maxElapsed);

  if (typeof retry.maxAttempts === 'number' && retry.maxAttempts < 1) {
    ctx.report([...path, 'maxAttempts'], `\`maxAttempts: ${retry.maxAttempts}\` in ${owner} is less than 1; use 1 for no retry, or more to retry`);
  }
  if (typeof retry.backoff === 'number' && retry.backoff < 1) {
    ctx.report([...path, 'backoff'], `\`backoff: ${retry.backoff}\` in ${owner} is less than 1, so intervals would shrink; use 1 for a fixed interval or more (e.g. 2) to back off`);
  }
  if (initial !== undefined && max !== undefined && max < initial) {
    ctx.report(
      [...path, 'maxInterval'],
      `\`maxInterval\` (${retry.maxInterval}) in ${owner} is shorter than \`initialInterval\` (${retry.initialInterval}); the interval may only grow up to maxInterval — raise it to at least ${retry.initialInterval}`,
    );
  }
  if (initial !== undefined && elapsed !== undefined && elapsed < initial) {
    ctx.report(
      [...path, 'maxElapsed'],
      `\`maxElapsed\` (${retry.maxElapsed}) in ${owner} is shorter than \`initialInterval\` (${retry.initialInterval}), so no retry can start before the time runs out; ` +
        `raise maxElapsed or lower initialInterval (e.g. \`initialInterval: ${formatDuration(Math.max(1, Math.floor(elapsed / 2)))}\`)`,
      { severity: 'warning' },
    );
  }
  const nonRetryable = new Set(retry.nonRetryable ?? []);
  (retry.retryOn ?? []).forEach((type, i) => {
    if (nonRetryable.has(type)) {
      ctx.report(
        [...path, 'retryOn', i],
        `\`${type}\` is listed both in \`retryOn\` and in \`nonRetryable\` of ${owner}; it never retries (nonRetryable wins) — remove it from one of the lists`,
      );
    } else if (NEVER_RETRY.has(type)) {
      ctx.report(
        [...path, 'retryOn', i],
        `\`${type}\` in \`retryOn\` of ${owner} never retries, whatever the policy says (DSL errors of this type are final); remove it`,
        { severity: 'warning' },
      );
    }
  });
}
