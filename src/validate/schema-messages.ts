/**
 * Wording of schema diagnostics: how a location, an expected shape and a found
 * value read in a message. Pure functions, no ajv types.
 */
import { DURATION_PATTERN } from '../../interpreter/duration.js';
import { STEP_KINDS } from '../../interpreter/model.js';
import type { JsonPath } from '../load/source-map.js';

/** The step an error sits in, for messages ("of step `charge`"). */
export interface StepContext {
  /** JSON path of the step in the definition. */
  path: JsonPath;
  /** Its id when it has a usable one. */
  id: string | undefined;
}

/** A loose view of a (sub)schema, enough to describe what it expects. */
export interface SchemaView {
  title?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  minItems?: number;
  minProperties?: number;
  maxProperties?: number;
  items?: unknown;
  properties?: Record<string, unknown>;
  anyOf?: unknown[];
  oneOf?: unknown[];
  $ref?: string;
}

export const DURATION_HELP = 'use <integer><unit> parts like 30s, 1h30m (units ms s m h d)';

const NAME_PATTERN = '^[a-z][a-z0-9-]*$';
const ID_PATTERN = '^[a-zA-Z][a-zA-Z0-9_-]*$';
const VARIABLE_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_-]*$';

/** Patterns of the schema, said in words. */
const PATTERN_WORDS: Record<string, string> = {
  [NAME_PATTERN]: 'a name of lower-case letters, digits and `-`, starting with a letter (like `order-fulfilment`)',
  [ID_PATTERN]: 'an id of letters, digits, `_` and `-`, starting with a letter',
  [VARIABLE_PATTERN]: 'a variable name of letters, digits, `_` and `-`, starting with a letter or `_`',
};

export function isDurationSchema(schema: SchemaView | undefined): boolean {
  return schema?.pattern === DURATION_PATTERN || schema?.title === 'Duration';
}

/** `steps[2].try[0]`, `retry.maxAttempts`, `activities.payments.*`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_$*.-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** How a step is named in messages: by id, or by where it is when it has none. */
export function stepLabel(step: StepContext): string {
  return step.id !== undefined ? `step \`${step.id}\`` : `the step at \`${formatPath(step.path)}\``;
}

/** The id of a step value, when it is a usable string. */
export function stepId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as Record<string, unknown>).id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The thing at `relative` (a path inside the step, or inside the definition when
 * there is no step): "`retry.maxAttempts` of step `charge`", "`defaults.timeout`".
 * An empty path is the step itself or the whole workflow.
 */
export function subject(relative: JsonPath, step: StepContext | undefined): string {
  if (relative.length === 0) return step ? stepLabel(step) : 'the workflow';
  const field = `\`${formatPath(relative)}\``;
  return step ? `${field} of ${stepLabel(step)}` : field;
}

/** A found value, short: `"three"`, `5`, `a list`, `a mapping`. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty mapping' : 'a mapping';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}

/** What a schema expects, as a noun phrase: "an integer ≥ 1", "a non-empty list of steps". */
export function expected(schema: SchemaView): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return `one of ${schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')}`;
  if (schema.pattern !== undefined && PATTERN_WORDS[schema.pattern]) return PATTERN_WORDS[schema.pattern]!;
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.length === 2 && types.includes('object') && types.includes('boolean')) return 'a JSON Schema (a mapping, or true or false)';
  const type = types[0];
  const bounds = numberBounds(schema);
  switch (type) {
    case 'integer':
      return `an integer${bounds}`;
    case 'number':
      return `a number${bounds}`;
    case 'boolean':
      return '`true` or `false`';
    case 'string':
      if (schema.pattern !== undefined) return `a string matching \`${schema.pattern}\``;
      return schema.minLength ? 'a non-empty string' : 'a string';
    case 'array': {
      const of = listOf(schema);
      return schema.minItems ? `a non-empty list${of}` : `a list${of}`;
    }
    case 'object': {
      if (schema.maxProperties === 1 && schema.minProperties === 1) return 'an expression (a mapping with one operation key)';
      const noun = schema.title && OBJECT_NOUNS[schema.title] ? OBJECT_NOUNS[schema.title]! : 'a mapping';
      return schema.minProperties ? `${noun} with at least one entry` : noun;
    }
    default:
      return 'a valid value';
  }
}

/** Object definitions with a more telling name than "a mapping". */
const OBJECT_NOUNS: Record<string, string> = {
  RetryPolicy: 'a retry policy (a mapping)',
  CallOptions: 'a mapping of call options (timeout, heartbeat, retry)',
  Schedule: 'a schedule (a mapping with `cron` or `every`)',
  SignalDeclaration: 'a signal declaration (a mapping, e.g. `{ schema: … }`)',
  SwitchCase: 'a case (a mapping with `when` and `steps`)',
  ParallelBranch: 'a branch (a mapping with `id` and `steps`)',
  CatchClause: 'a catch clause (a mapping with `steps`, and optional `errors` and `as`)',
};

function numberBounds(schema: SchemaView): string {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  return parts.length > 0 ? ` ${parts.join(' and ')}` : '';
}

/** What a list holds, by the definition its items refer to: " of steps", " of cases". */
const ITEM_NOUNS: Record<string, string> = {
  Step: 'steps',
  SwitchCase: 'cases (each with `when` and `steps`)',
  ParallelBranch: 'branches (each with `id` and `steps`)',
  CatchClause: 'catch clauses',
  ErrorType: 'error types',
};

function listOf(schema: SchemaView): string {
  if (schema.title === 'Steps') return ' of steps';
  const ref = (schema.items as SchemaView | undefined)?.$ref;
  const noun = typeof ref === 'string' ? ITEM_NOUNS[ref.slice(ref.lastIndexOf('/') + 1)] : undefined;
  return noun ? ` of ${noun}` : '';
}

export const KIND_LIST = STEP_KINDS.map((k) => `\`${k}\``).join(', ');

/** "`a` and `b`", "`a`, `b` and `c`". */
export function listWords(words: readonly string[], last = 'and'): string {
  const quoted = words.map((w) => `\`${w}\``);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} ${last} ${quoted.at(-1)}`;
}
