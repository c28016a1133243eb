import { CronExpressionParser } from 'cron-parser';
import { parseDuration } from '../../../interpreter/duration.js';
import type { Check } from '../check.js';

/** Descriptors Temporal's cron understands besides five fields. */
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);
const EXAMPLE = 'write five fields `minute hour day-of-month month day-of-week`, e.g. `0 3 * * *` (every day at 03:00 UTC), or one of @yearly, @monthly, @weekly, @daily, @hourly, optionally after a time zone (`CRON_TZ=Europe/Paris 0 3 * * *`)';

/** `schedule.cron` must be a cron expression Temporal accepts; `schedule.every` must not be zero. */
export const cron: Check = {
  rule: 'cron',
  description: 'A `schedule.cron` that is not a valid cron expression, or a zero `schedule.every`.',
  run(ctx) {
    const schedule = ctx.definition.schedule;
    if (!schedule) return;
    if (typeof schedule.cron === 'string') {
      let text = schedule.cron.trim();
      let problem: string | undefined;
      // Temporal (like robfig/cron) accepts a leading time zone: `CRON_TZ=Europe/Paris 0 3 * * *`.
      const zone = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
      if (zone) {
        text = text.slice(zone[0].length);
        if (!isTimeZone(zone[1]!)) problem = `\`${zone[1]}\` is not an IANA time zone (e.g. \`Europe/Paris\`, \`America/New_York\`, \`UTC\`)`;
      }
      const fields = text.split(/\s+/).filter(Boolean);
      if (problem) {
        // reported below
      } else if (text.startsWith('@')) {
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

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
