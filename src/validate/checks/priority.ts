import { expressionOperation } from '../../../interpreter/expression-syntax.js';
import type { Priority } from '../../../interpreter/model.js';
import { FAIRNESS_KEY_MAX_BYTES, PRIORITY_KEY_MAX, PRIORITY_KEY_MIN } from '../../../interpreter/options.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check, CheckContext } from '../check.js';

/** Temporal clamps weights to this range; outside it a weight does not mean what it says. */
const WEIGHT_MIN = 0.001;
const WEIGHT_MAX = 1000;

/** docs/dsl.md#priority: priorities Temporal would refuse or silently change, on the workflow, call and child steps. */
export const priority: Check = {
  rule: 'priority',
  description: 'A priority key outside 1-5, a fairness weight outside 0.001-1000, or a fairness key that is not a string of at most 64 bytes.',
  run(ctx) {
    check(ctx, ctx.definition.priority, ['priority'], 'the workflow');
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if ('call' in step || 'child' in step) check(ctx, step.priority, [...path, 'priority'], `step \`${step.id}\``);
    }
  },
};

function check(ctx: CheckContext, value: Priority | undefined, path: JsonPath, owner: string): void {
  if (!value) return;
  const { key, fairnessKey, fairnessWeight } = value;
  if (key !== undefined && (!Number.isInteger(key) || key < PRIORITY_KEY_MIN || key > PRIORITY_KEY_MAX)) {
    ctx.report(
      [...path, 'key'],
      `priority key ${key} of ${owner} is out of range: keys run from ${PRIORITY_KEY_MIN} (runs first) to ${PRIORITY_KEY_MAX} (runs last), 3 when unset`,
    );
  }
  if (fairnessWeight !== undefined && (fairnessWeight < WEIGHT_MIN || fairnessWeight > WEIGHT_MAX)) {
    ctx.report(
      [...path, 'fairnessWeight'],
      `fairnessWeight ${fairnessWeight} of ${owner} is outside ${WEIGHT_MIN}–${WEIGHT_MAX}; Temporal would clamp it, so give a weight in that range`,
    );
  }
  if (fairnessKey === undefined || typeof fairnessKey === 'number' || expressionOperation(fairnessKey) !== undefined) return;
  if (typeof fairnessKey !== 'string') {
    ctx.report([...path, 'fairnessKey'], `the fairnessKey of ${owner} must be a string or an expression that renders one, like \`{ var: input.tenantId }\``);
  } else if (new TextEncoder().encode(fairnessKey).length > FAIRNESS_KEY_MAX_BYTES) {
    ctx.report([...path, 'fairnessKey'], `the fairnessKey of ${owner} is longer than ${FAIRNESS_KEY_MAX_BYTES} bytes, Temporal's limit; use a shorter key`);
  }
}
