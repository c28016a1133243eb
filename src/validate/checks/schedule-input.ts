import { literalValidator } from '../literal-validator.js';
import type { Check } from '../check.js';


function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}

/**
 * `schedule.input` starts every scheduled run, so it must satisfy the workflow's
 * `input` schema; otherwise each scheduled run fails with `InvalidInput`.
 */
export const scheduleInput: Check = {
  rule: 'schedule-input',
  description: "`schedule.input` does not satisfy the workflow's `input` schema, so every scheduled run would fail.",
  run(ctx) {
    const { schedule, input } = ctx.definition;
    if (!schedule || input === undefined || typeof input === 'boolean') return;
    if (schedule.input === undefined) {
      // What a scheduled run gets without `schedule.input` is empty; it can only fail when properties are required.
      const required = (input as { required?: unknown }).required;
      if (Array.isArray(required) && required.length > 0) {
        ctx.report(
          ['schedule'],
          `\`schedule\` gives no \`input\`, but the workflow's \`input\` schema requires ${required.map((r) => `\`${String(r)}\``).join(', ')}, ` +
            `so every scheduled run would fail with InvalidInput; add \`schedule.input: { ${String(required[0])}: … }\``,
          { key: true },
        );
      }
      return;
    }
    const validate = literalValidator(input);
    if (!validate || validate(schedule.input)) return;
    const base = ['schedule', 'input'];
    const seen = new Set<string>();
    for (const error of validate.errors ?? []) {
      if (/\/(oneOf|anyOf|not|if|then|else)\//.test(error.schemaPath)) continue;
      const at: (string | number)[] = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map((s) => {
        const key = s.replace(/~1/g, '/').replace(/~0/g, '~');
        return /^\d+$/.test(key) ? Number(key) : key;
      });
      let message: string;
      let path = [...base, ...at];
      let key = false;
      const field = ['input', ...at].join('.');
      if (error.keyword === 'required') {
        message = `\`schedule.${field}\` is missing property \`${String(error.params.missingProperty)}\`, which the workflow's \`input\` schema requires, so every scheduled run would fail with InvalidInput`;
        key = true;
      } else if (error.keyword === 'additionalProperties') {
        const extra = String(error.params.additionalProperty);
        path = [...path, extra];
        key = true;
        message = `\`schedule.${field}\` has property \`${extra}\`, which the workflow's \`input\` schema does not allow, so every scheduled run would fail with InvalidInput`;
      } else {
        message = `\`schedule.${field}\` (${describe(error.data)}) ${error.message ?? 'is invalid'}, as the workflow's \`input\` schema requires; every scheduled run would fail with InvalidInput`;
      }
      if (seen.has(message)) continue;
      seen.add(message);
      ctx.report(path, message, { key });
    }
  },
};
