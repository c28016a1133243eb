import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../../../interpreter/duration.js';
import type { Check } from '../check.js';

/** Descriptors Temporal's cron understands besides five fields. */
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);
const EXAMPLE = 'write five fields `minute hour day-of-month month day-of-week`, e.g. `0 3 * * *` (every day at 03:00 UTC), or one of @yearly, @monthly, @weekly, @daily, @hourly';

/** `schedule.cron` must be a cron expression Temporal accepts; `schedule.every` must not be zero. */
export const cron: Check = {
  rule: 'cron',
  description: 'A `schedule.cron` that is not a valid cron expression, or a zero `schedule.every`.',
  run(ctx) {
    const schedule = ctx.definition.schedule;
    if (!schedule) return;
    if (typeof schedule.cron === 'string') {
      const text = schedule.cron.trim();
      const fields = text.split(/\s+/).filter(Boolean);
      let problem: string | undefined;
      if (text.startsWith('@')) {
        if (!DESCRIPTORS.has(text)) problem = `\`${text}\` is not a descriptor Temporal understands (use \`every:\` for intervals)`;
      } else if (fields.length !== 5) {
        problem = `it has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5`;
      } else {
        try {
          CronExpressionParser.parse(text, { strict: false });
        } catch (err) {
          problem = (err as Error).message;
        }
      }
      if (problem) ctx.report(['schedule', 'cron'], `\`${schedule.cron}\` is not a valid cron expression: ${problem}; ${EXAMPLE}`);
    }
    if (typeof schedule.every === 'string' && parseDuration(schedule.every) === 0) {
      ctx.report(['schedule', 'every'], `\`every: ${schedule.every}\` is zero, so the schedule would never advance; give a positive interval such as \`1h\``);
    }
  },
};
