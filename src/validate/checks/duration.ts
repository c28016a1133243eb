import { DURATION_PATTERN, formatDuration, parseDuration } from '../../../interpreter/duration.js';
import type { CallOptions } from '../../../interpreter/model.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check, CheckContext } from '../check.js';

const SHAPE = new RegExp(DURATION_PATTERN);
const EXAMPLES = 'e.g. `500ms`, `30s`, `1h30m`, `7d`';

/**
 * What the schema's duration pattern cannot judge (docs/dsl.md#durations):
 * - a literal `sleep` string that is not a duration (an expression is judged at run time);
 * - durations too large to count in milliseconds;
 * - zero `timeout` / `heartbeat`, which would fail every attempt at once;
 * - a `heartbeat` not shorter than the `timeout` next to it (warning: it can never fire);
 * - a step's `timeout`, a `wait.timeout` or a `sleep` longer than the workflow
 *   `timeout` (warning: the whole run times out first).
 */
export const duration: Check = {
  rule: 'duration',
  description: 'Durations that cannot work: a sleep that is not a duration, zero timeouts, timeouts longer than the workflow timeout.',
  run(ctx) {
    const def = ctx.definition;
    const runTimeout = measure(ctx, def.timeout, ['timeout'], 'the workflow `timeout`');
    if (runTimeout === 0) {
      ctx.report(['timeout'], 'the workflow `timeout` is zero, so every run would time out at once; give a positive duration or remove it for no limit');
    }
    const longerThanRun = (ms: number | undefined, path: JsonPath, what: string) => {
      if (ms === undefined || runTimeout === undefined || runTimeout === 0 || ms <= runTimeout) return;
      ctx.report(
        path,
        `${what} is ${formatDuration(ms)}, longer than the workflow \`timeout\` of ${formatDuration(runTimeout)}, so the whole run times out first; ` +
          'shorten it or raise the workflow timeout',
        { severity: 'warning' },
      );
    };
    const options = (opts: CallOptions | undefined, path: JsonPath, owner: string) => {
      if (!opts) return;
      const timeout = measure(ctx, opts.timeout, [...path, 'timeout'], `\`timeout\` of ${owner}`);
      const heartbeat = measure(ctx, opts.heartbeat, [...path, 'heartbeat'], `\`heartbeat\` of ${owner}`);
      if (timeout === 0) {
        ctx.report([...path, 'timeout'], `\`timeout: ${opts.timeout}\` of ${owner} is zero, so every attempt would time out before it starts; give a positive duration or remove it to use the default`);
      }
      if (heartbeat === 0) {
        ctx.report([...path, 'heartbeat'], `\`heartbeat: ${opts.heartbeat}\` of ${owner} is zero, so every attempt would miss its first heartbeat; give a positive duration or remove it`);
      }
      if (heartbeat && timeout && heartbeat >= timeout) {
        ctx.report(
          [...path, 'heartbeat'],
          `\`heartbeat\` (${opts.heartbeat}) of ${owner} is not shorter than its \`timeout\` (${opts.timeout}), so a stalled attempt is never detected by heartbeat; make it shorter than the timeout`,
          { severity: 'warning' },
        );
      }
      longerThanRun(timeout, [...path, 'timeout'], `\`timeout\` of ${owner}`);
    };
    options(def.defaults, ['defaults'], '`defaults`');
    for (const [pattern, opts] of Object.entries(def.activities ?? {})) options(opts, ['activities', pattern], `\`activities.${pattern}\``);
    for (const { step, path } of walkSteps(def.steps)) {
      if ('call' in step) options(step, path, `step \`${step.id}\``);
      if ('wait' in step) {
        const waitPath = [...path, 'wait', 'timeout'];
        const ms = measure(ctx, step.wait.timeout, waitPath, `\`wait.timeout\` of step \`${step.id}\``);
        if (ms === 0) {
          ctx.report(waitPath, `\`wait.timeout\` of step \`${step.id}\` is zero, so the wait would raise \`Timeout\` before any signal can arrive; give a positive duration or remove it to wait without limit`);
        }
        longerThanRun(ms, waitPath, `\`wait.timeout\` of step \`${step.id}\``);
      }
      if ('sleep' in step && typeof step.sleep === 'string') {
        if (!SHAPE.test(step.sleep)) {
          ctx.report(
            [...path, 'sleep'],
            `step \`${step.id}\` sleeps for \`${step.sleep}\`, which is not a duration; write <integer><unit> parts with units ms, s, m, h, d (${EXAMPLES}), or an expression such as \`{ var: delay }\` that gives one`,
          );
          continue;
        }
        longerThanRun(measure(ctx, step.sleep, [...path, 'sleep'], `the sleep of step \`${step.id}\``), [...path, 'sleep'], `the sleep of step \`${step.id}\``);
      }
    }
  },
};

/** Milliseconds of a well-formed duration; reports one too large to count. */
function measure(ctx: CheckContext, text: string | undefined, path: JsonPath, what: string): number | undefined {
  if (typeof text !== 'string' || !SHAPE.test(text)) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) ctx.report(path, `${what} (\`${text}\`) is too long to count in milliseconds; use a realistic duration (${EXAMPLES})`);
  return ms;
}
