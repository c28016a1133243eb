import { Ajv, type ErrorObject } from 'ajv';
import type { Json, JsonSchema } from '../../../interpreter/model.js';
import type { JsonPath } from '../../../interpreter/walk.js';
import type { Check, CheckContext } from '../check.js';
import { closest, didYouMean } from '../suggest.js';

const TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];

const KEYWORDS = [
  '$id', '$schema', '$ref', '$comment', 'title', 'description', 'default', 'readOnly', 'writeOnly', 'examples',
  'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'additionalItems', 'items', 'maxItems', 'minItems', 'uniqueItems', 'contains', 'maxProperties', 'minProperties',
  'required', 'additionalProperties', 'definitions', 'properties', 'patternProperties', 'dependencies', 'propertyNames',
  'const', 'enum', 'type', 'format', 'contentMediaType', 'contentEncoding', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not',
];
const KNOWN = new Set(KEYWORDS);
const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
const SCHEMA_VALUES = ['additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];

let ajv: Ajv | undefined;
function instance(): Ajv {
  // Ajv's default class validates against the draft-07 meta-schema.
  ajv ??= new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false });
  return ajv;
}

/**
 * `input` and `signals.*.schema` must be valid JSON Schema draft-07: checked against
 * the meta-schema (one message per offending node), then for what the meta-schema
 * cannot see (regular expressions, local references), then, when it has an `$id` or
 * a reference that is not a local pointer, compiled. Keywords that look
 * like a misspelt draft-07 keyword are warned about, since JSON Schema ignores them.
 */
export const jsonSchema: Check = {
  rule: 'json-schema',
  description: 'The `input` schema or a signal schema is not valid JSON Schema draft-07.',
  run(ctx) {
    const def = ctx.definition;
    if (def.input !== undefined) checkSchema(ctx, def.input, ['input'], 'the `input` schema');
    for (const [name, signal] of Object.entries(def.signals ?? {})) {
      if (signal?.schema !== undefined) checkSchema(ctx, signal.schema, ['signals', name, 'schema'], `the schema of signal \`${name}\``);
    }
  },
};

function checkSchema(ctx: CheckContext, schema: JsonSchema, base: JsonPath, owner: string): void {
  const ajv = instance();
  if (!ajv.validateSchema(schema)) {
    reportMetaErrors(ctx, schema, base, owner, ajv.errors ?? []);
    return;
  }
  let problems = 0;
  // Compiling costs milliseconds; it is only needed for what the walk below cannot judge.
  let needsCompile = false;
  const report = (path: JsonPath, message: string, options?: { key?: boolean; severity?: 'warning' }) => {
    if (options?.severity !== 'warning') problems++;
    ctx.report(path, message, options);
  };
  walk(schema as Json, base, (node, path) => {
    for (const key of Object.keys(node)) {
      if (KNOWN.has(key)) continue;
      const near = closest(key, KEYWORDS);
      if (near) {
        report([...path, key], `\`${key}\` in ${owner} is not a JSON Schema keyword and is ignored; did you mean \`${near}\`?`, { key: true, severity: 'warning' });
      }
    }
    if (typeof node.pattern === 'string') {
      const error = regexError(node.pattern);
      if (error) report([...path, 'pattern'], `\`pattern\` in ${owner} is not a valid regular expression: ${error}`);
    }
    if (isObject(node.patternProperties)) {
      for (const key of Object.keys(node.patternProperties)) {
        const error = regexError(key);
        if (error) report([...path, 'patternProperties', key], `\`patternProperties\` key \`${key}\` in ${owner} is not a valid regular expression: ${error}`, { key: true });
      }
    }
    if (typeof node.$id === 'string' || (typeof node.$ref === 'string' && node.$ref !== '#' && !node.$ref.startsWith('#/'))) needsCompile = true;
    if (typeof node.$ref === 'string' && (node.$ref === '#' || node.$ref.startsWith('#/')) && resolvePointer(schema as Json, node.$ref.slice(1), true) === undefined) {
      report([...path, '$ref'], `\`$ref: ${node.$ref}\` in ${owner} points at nothing; references resolve within the schema (e.g. \`#/definitions/address\`)`);
    }
  });
  if (problems > 0 || !needsCompile || typeof schema !== 'object') return;
  try {
    ajv.compile(schema);
  } catch (err) {
    ctx.report(base, `${owner} cannot be compiled: ${(err as Error).message}`);
  } finally {
    ajv.removeSchema(schema);
  }
}

function reportMetaErrors(ctx: CheckContext, schema: JsonSchema, base: JsonPath, owner: string, errors: readonly ErrorObject[]): void {
  // One message per offending node: meta-schema errors come in groups (anyOf and its branches).
  const byNode = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const list = byNode.get(error.instancePath) ?? [];
    list.push(error);
    byNode.set(error.instancePath, list);
  }
  for (const [pointer, group] of byNode) {
    // A node whose problem is already reported further down (e.g. a property schema) needs no second message.
    if ([...byNode.keys()].some((other) => other !== pointer && other.startsWith(pointer + '/'))) continue;
    const path = pointerPath(schema as Json, pointer);
    const value = resolvePointer(schema as Json, pointer);
    const where = pointer === '' ? owner : `\`${pointer.slice(1).replace(/\//g, '.')}\` in ${owner}`;
    const last = path[path.length - 1];
    const parentLast = path[path.length - 2];
    const isType = last === 'type' || (parentLast === 'type' && typeof last === 'number');
    if (isType && group.some((e) => e.keyword === 'enum')) {
      const shown = typeof value === 'string' ? `\`${value}\`` : `\`${JSON.stringify(value)}\``;
      const hint = typeof value === 'string' ? didYouMean(value, TYPES) : '';
      ctx.report([...base, ...path], `${shown} in ${owner} is not a JSON Schema type${hint || `; use one of ${TYPES.join(', ')}`}`);
      continue;
    }
    const main = group.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? group[0]!;
    const message = main.keyword === 'type'
      ? `must be ${String(main.params.type).split(',').join(' or ')}`
      : main.keyword === 'enum'
        ? `must be one of ${(main.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
        : (main.message ?? 'is invalid');
    ctx.report([...base, ...path], `${where} is not valid JSON Schema (draft-07): it ${message}`);
  }
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls `visit` on every (object) subschema of a draft-07 schema with its path. */
function walk(node: Json, path: JsonPath, visit: (node: Record<string, Json>, path: JsonPath) => void): void {
  if (!isObject(node)) return;
  visit(node, path);
  for (const key of SCHEMA_MAPS) {
    const map = node[key];
    if (isObject(map)) for (const name of Object.keys(map)) walk(map[name]!, [...path, key, name], visit);
  }
  for (const key of SCHEMA_VALUES) if (node[key] !== undefined) walk(node[key]!, [...path, key], visit);
  for (const key of SCHEMA_LISTS) {
    const list = node[key];
    if (Array.isArray(list)) list.forEach((item, i) => walk(item, [...path, key, i], visit));
  }
  const items = node.items;
  if (Array.isArray(items)) items.forEach((item, i) => walk(item, [...path, 'items', i], visit));
  else if (items !== undefined) walk(items, [...path, 'items'], visit);
  const deps = node.dependencies;
  if (isObject(deps)) for (const name of Object.keys(deps)) if (!Array.isArray(deps[name])) walk(deps[name]!, [...path, 'dependencies', name], visit);
}

function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
    return undefined;
  } catch (err) {
    return (err as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

function segments(pointer: string, uri = false): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => {
    let text = s;
    if (uri) {
      try {
        text = decodeURIComponent(s);
      } catch {
        // A malformed escape is taken as written.
      }
    }
    return text.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

/** A JSON pointer as a JSON path, with array indices as numbers. */
function pointerPath(root: Json, pointer: string): JsonPath {
  const out: (string | number)[] = [];
  let node: Json | undefined = root;
  for (const segment of segments(pointer)) {
    if (Array.isArray(node)) {
      out.push(Number(segment));
      node = node[Number(segment)];
    } else {
      out.push(segment);
      node = isObject(node) ? node[segment] : undefined;
    }
  }
  return out;
}

function resolvePointer(root: Json, pointer: string, uri = false): Json | undefined {
  let node: Json | undefined = root;
  for (const segment of segments(pointer, uri)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}
