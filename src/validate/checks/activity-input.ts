import type { ErrorObject } from 'ajv';
import { expressionOperation, isLiteral } from '../../../interpreter/expression-syntax.js';
import type { Json, JsonSchema } from '../../../interpreter/model.js';
import { walkSteps, type JsonPath } from '../../../interpreter/walk.js';
import type { Check } from '../check.js';
import { literalValidator } from '../literal-validator.js';
import { didYouMean } from '../suggest.js';

/** Keywords whose verdict on a value depends on every part of it, expressions included. */
const WHOLE_VALUE = new Set(['const', 'enum', 'uniqueItems', 'contains', 'oneOf', 'anyOf', 'not', 'if']);
/** Schema path segments inside which an error is only a branch's opinion. */
const BRANCH = /\/(oneOf|anyOf|not|if|then|else)(\/|$)/;

interface Skeleton {
  /** The template with every evaluated part replaced by null. */
  value: Json;
  /** JSON pointers (ajv instancePath form) of the evaluated parts. */
  dynamic: string[];
}

/** What a template is known to be before it runs: literals stay, expressions become unknowns. */
function skeleton(template: Json, pointer = '', dynamic: string[] = []): Skeleton {
  if (isLiteral(template)) return { value: template.$literal, dynamic };
  if (expressionOperation(template) !== undefined) {
    dynamic.push(pointer);
    return { value: null, dynamic };
  }
  if (Array.isArray(template)) {
    return { value: template.map((item, i) => skeleton(item, `${pointer}/${i}`, dynamic).value), dynamic };
  }
  if (typeof template === 'object' && template !== null) {
    const out: Record<string, Json> = {};
    for (const [key, value] of Object.entries(template)) out[key] = skeleton(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, dynamic).value;
    return { value: out, dynamic };
  }
  return { value: template, dynamic };
}

function within(pointer: string, outer: string): boolean {
  return pointer === outer || pointer.startsWith(outer + '/');
}

/**
 * The path, inside the `with` template, of a value the skeleton holds at `pointer`:
 * the same keys, plus `$literal` where the template wraps a literal.
 */
function templatePath(pointer: string, template: Json): (string | number)[] {
  const out: (string | number)[] = [];
  let node: Json | undefined = template;
  let literal = false;
  const unwrap = () => {
    if (!literal && isLiteral(node)) {
      out.push('$literal');
      node = (node as { $literal: Json }).$literal;
      literal = true;
    }
  };
  unwrap();
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(segment));
      node = node[Number(segment)];
    } else {
      out.push(segment);
      node = typeof node === 'object' && node !== null ? (node as Record<string, Json>)[segment] : undefined;
    }
    unwrap();
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 37) + '...' : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * docs/dsl.md#activities: a call's `with` must fit the activity's input schema. Judged from what
 * is known before the run: literal values and the keys of object templates. Parts
 * that are expressions are unknown and never blamed.
 */
export const activityInput: Check = {
  rule: 'activity-input',
  description: "A call's `with` contradicts the activity's input schema (missing required property, unknown property, wrong literal type).",
  run(ctx) {
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if (!('call' in step)) continue;
      const spec = ctx.catalog.get(step.call);
      if (!spec) continue;
      const validate = literalValidator(spec.input);
      if (!validate) continue;
      const withPath = [...path, 'with'];
      if (step.with === undefined) {
        const required = (spec.input as { required?: unknown }).required;
        if (Array.isArray(required) && required.length > 0) {
          ctx.report(
            [...path, 'call'],
            `step \`${step.id}\` calls \`${step.call}\` without \`with\`, but the activity requires ${required.map((r) => `\`${String(r)}\``).join(', ')}; add \`with: { ${String(required[0])}: … }\``,
          );
        }
        continue;
      }
      if (expressionOperation(step.with) !== undefined) continue; // computed as a whole at run time
      const { value, dynamic } = skeleton(step.with);
      if (validate(value)) continue;
      const reported = new Set<string>();
      for (const error of validate.errors ?? []) {
        if (BRANCH.test(error.schemaPath)) continue;
        if (dynamic.some((d) => within(error.instancePath, d))) continue;
        if (WHOLE_VALUE.has(error.keyword) && dynamic.some((d) => within(d, error.instancePath))) continue;
        const at = templatePath(error.instancePath, step.with);
        const problem = explain(error, step.id, step.call, at);
        const id = `${problem.path.join('/')}|${problem.message}`;
        if (reported.has(id)) continue;
        reported.add(id);
        ctx.report([...withPath, ...problem.path], problem.message, { key: problem.key });
      }
    }
  },
};

function explain(error: ErrorObject, stepId: string, activity: string, at: (string | number)[]): { path: (string | number)[]; message: string; key: boolean } {
  const field = ['with', ...at.filter((s) => s !== '$literal')].map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
  const lead = `step \`${stepId}\`: `;
  switch (error.keyword) {
    case 'required': {
      const missing = String(error.params.missingProperty);
      return { path: at, key: true, message: `${lead}\`${field}\` is missing property \`${missing}\`, which activity \`${activity}\` requires` };
    }
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const hint = didYouMean(extra, known) || (known.length > 0 ? `; it accepts ${known.map((k) => `\`${k}\``).join(', ')}` : '');
      return { path: [...at, extra], key: true, message: `${lead}activity \`${activity}\` has no input property \`${extra}\` in \`${field}\`${hint}` };
    }
    case 'type': {
      const expected = String(error.params.type).split(',').join(' or ');
      return { path: at, key: false, message: `${lead}\`${field}\` is ${describe(error.data)}, but activity \`${activity}\` expects ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}` };
    }
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]) ?? [];
      const hint = typeof error.data === 'string' ? didYouMean(error.data, allowed.filter((v): v is string => typeof v === 'string')) : '';
      return { path: at, key: false, message: `${lead}\`${field}\` is ${describe(error.data)}, but activity \`${activity}\` accepts only ${allowed.map((v) => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``).join(', ')}${hint}` };
    }
    default:
      return {
        path: at,
        key: false,
        message: `${lead}\`${field}\` (${describe(error.data)}) ${error.message ?? 'is invalid'}, as the input schema of activity \`${activity}\` requires`,
      };
  }
}
