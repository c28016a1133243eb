import type { Json } from '../../../interpreter/model.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check, CheckContext } from '../check.js';

/** A string that reads like a variable path: `input.items`, `order.lines.0`. */
const VAR_LIKE = /^[A-Za-z_$][\w$-]*(\.[\w$-]+)*$/;

function hint(value: string): string {
  return VAR_LIKE.test(value) ? `; to read the variable write \`{ var: ${value} }\`` : '';
}

/**
 * A plain string where an expression decides something is almost always a forgotten
 * `var`: `foreach: input.items` iterates over nothing (a string is not an array) and
 * `when: input.enabled` is always true (a non-empty string is truthy).
 */
export const literalExpression: Check = {
  rule: 'literal-expression',
  description: 'A `foreach`, `when` or `while` is a plain string (or other literal) instead of an expression: usually a forgotten `var`.',
  run(ctx) {
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      condition(ctx, step.when, [...path, 'when'], `\`when\` of step \`${step.id}\``, 'the step would always run');
      if ('switch' in step) {
        step.switch.forEach((c, i) => condition(ctx, c.when, [...path, 'switch', i, 'when'], `\`switch[${i}].when\` of step \`${step.id}\``, 'this case would always be taken'));
      }
      if ('while' in step) condition(ctx, step.while, [...path, 'while'], `\`while\` of step \`${step.id}\``, 'the loop would run until `maxIterations`');
      if ('foreach' in step) {
        const value = step.foreach;
        if (value === null || typeof value !== 'object') {
          const shown = typeof value === 'string' ? `the string \`${value}\`` : `\`${JSON.stringify(value)}\``;
          ctx.report(
            [...path, 'foreach'],
            `\`foreach\` of step \`${step.id}\` is ${shown}, not an array, so there is nothing to iterate over` +
              (typeof value === 'string' ? hint(value) : '; give an expression that yields an array, such as `{ var: input.items }`'),
          );
        }
      }
    }
  },
};

function condition(ctx: CheckContext, value: Json | undefined, path: JsonPath, what: string, consequence: string): void {
  if (typeof value !== 'string') return; // booleans and numbers are deliberate (`while: true`, `when: false`)
  const truthy = value !== '';
  ctx.report(
    path,
    `${what} is the string \`${value}\`, which is always ${truthy ? 'true' : 'false'}` +
      (truthy ? ` (${consequence})` : '') + (hint(value) || '; write a JSON Logic expression such as `{ "==": [ { var: x }, 1 ] }`'),
    { severity: 'warning' },
  );
}
