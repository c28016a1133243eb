import { FORBIDDEN_OPERATIONS, LITERAL_KEY, OPERATIONS } from '../../../interpreter/expression-syntax.js';

const NAMES = [...OPERATIONS, LITERAL_KEY];
import type { Check } from '../check.js';
import { closest, didYouMean } from '../suggest.js';
import { expressionNodes, templateSites, type TemplateSite } from '../templates.js';

/** Names other languages use for JSON Logic operations. */
const ALIASES: Record<string, string> = {
  eq: '==', equals: '==', ne: '!=', neq: '!=', not: '!', gt: '>', gte: '>=', ge: '>=', lt: '<', lte: '<=', le: '<=',
  add: '+', plus: '+', sum: '+', sub: '-', minus: '-', mul: '*', times: '*', div: '/', mod: '%',
  concat: 'cat', contains: 'in', includes: 'in', substring: 'substr', ifelse: 'if', any: 'some', every: 'all',
};

function suggestion(op: string): string {
  const alias = Object.prototype.hasOwnProperty.call(ALIASES, op.toLowerCase()) ? ALIASES[op.toLowerCase()] : undefined;
  if (alias) return `; did you mean \`${alias}\`?`;
  return didYouMean(op, NAMES) || '; see https://jsonlogic.com/operations.html for the operations available';
}

function where(site: TemplateSite): string {
  return site.step ? `\`${site.field}\` of step \`${site.step.id}\`` : `\`${site.field}\``;
}

/**
 * docs/dsl.md#expressions-and-templates: expressions are JSON Logic. In an expression position (and in every
 * argument of an operation) a one-key object is an operation and must be a known
 * one; `method` and `log` are refused everywhere because expressions are pure.
 */
export const unknownOperation: Check = {
  rule: 'unknown-operation',
  description: 'An expression uses an operation that JSON Logic does not have, or an impure one (`method`, `log`).',
  run(ctx) {
    for (const site of templateSites(ctx.definition)) {
      for (const node of expressionNodes(site.value, site.path, site.expression)) {
        if (node.kind === 'data') {
          // `{ vra: input.x }` in a template is copied as data; warn when it looks like a misspelt operation.
          const value = node.node[node.key];
          const near = node.key.startsWith('$')
            ? closest(node.key, [LITERAL_KEY])
            : node.key.length >= 3 && (typeof value === 'string' || Array.isArray(value)) ? closest(node.key, OPERATIONS) : undefined;
          if (near) {
            ctx.report(
              [...node.path, node.key],
              `\`${node.key}\` in ${where(site)} is not a JSON Logic operation, so this object is passed on as data; did you mean \`${near}\`? ` +
                '(to pass such an object on as data on purpose, write `{ $literal: … }`)',
              { severity: 'warning', key: true },
            );
          }
        } else if (node.kind === 'not-an-operation') {
          const keys = Object.keys(node.node);
          const has = keys.length === 0 ? 'is an empty object' : `has ${keys.length} keys (${keys.map((k) => `\`${k}\``).join(', ')})`;
          ctx.report(
            node.path,
            `${where(site)} must be a JSON Logic expression, an object with exactly one key naming the operation ` +
              `(e.g. \`{ "==": [ { var: x }, 1 ] }\`), but it ${has}; to use a fixed object write \`{ $literal: … }\``,
          );
        } else if (FORBIDDEN_OPERATIONS.has(node.op)) {
          ctx.report(
            [...node.path, node.op],
            `operation \`${node.op}\` in ${where(site)} is not allowed: expressions are pure and deterministic ` +
              `(no host method calls, no logging); compute the value in an activity instead`,
            { key: true },
          );
        } else if (!node.known) {
          ctx.report(
            [...node.path, node.op],
            `\`${node.op}\` in ${where(site)} is not a JSON Logic operation` +
              suggestion(node.op),
            { key: true },
          );
        }
      }
    }
  },
};
