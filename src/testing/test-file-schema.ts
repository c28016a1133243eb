/**
 * Checks a test file against schema/workflow-test.schema.json and explains each
 * problem in one sentence, located by JSON path (the caller turns paths into lines).
 * A mock may take three forms (a `oneOf`): an invalid one is explained against the
 * form its shape shows was meant, not with every form's complaints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonPath } from '../load/source-map.js';
import { PACKAGE_ROOT } from '../paths.js';
import { DURATION_HELP, expected, formatPath, isDurationSchema, listWords, show, type SchemaView } from '../validate/schema-messages.js';
import { closest } from '../validate/suggest.js';

export const TEST_SCHEMA_PATH = join(PACKAGE_ROOT, 'schema', 'workflow-test.schema.json');

export interface TestFileProblem {
  path: JsonPath;
  /** Point at the key of `path` rather than its value. */
  key: boolean;
  message: string;
}

interface Validators {
  root: ValidateFunction;
  definition(name: string): ValidateFunction;
}

let validators: Validators | undefined;

function compiled(): Validators {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(TEST_SCHEMA_PATH, 'utf8')) as { $id: string };
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
  ajv.addSchema(schema);
  const get = (ref: string): ValidateFunction => {
    const validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`the workflow test schema has no ${ref}`);
    return validate;
  };
  validators = { root: get(schema.$id), definition: (name) => get(`${schema.$id}#/definitions/${name}`) };
  return validators;
}

/** Why `content` is not a valid test file; empty when it is. */
export function explainTestFile(content: unknown): TestFileProblem[] {
  const { root } = compiled();
  if (root(content)) return [];
  if (!isRecord(content)) return [{ path: [], key: false, message: `a test file must be a mapping with \`cases\`, got ${show(content)}` }];
  const problems = new Map<string, TestFileProblem>();
  explain(content, root.errors ?? [], [], problems);
  return [...problems.values()];
}

function explain(data: unknown, errors: readonly ErrorObject[], base: JsonPath, problems: Map<string, TestFileProblem>): void {
  const add = (path: JsonPath, key: boolean, message: string) => {
    const at = [...base, ...path];
    const id = JSON.stringify(at);
    if (!problems.has(id)) problems.set(id, { path: at, key, message });
  };
  // Mocks whose form failed: explained on their own, against the form they look like.
  const mockPaths = errors.filter((e) => e.keyword === 'oneOf' && isMockChoice(e)).map((e) => pathOf(data, e.instancePath));
  const insideMock = (path: JsonPath) => mockPaths.some((m) => startsWith(path, m));
  for (const path of mockPaths) {
    const value = valueAt(data, path);
    const form = Array.isArray(value) ? 'AnswerPerAttempt' : isRecord(value) && 'sequence' in value ? 'AnswerSequence' : 'Answer';
    const validate = compiled().definition(form);
    if (!validate(value)) explain(value, validate.errors ?? [], [...base, ...path], problems);
  }
  // A misspelt key is reported once, as unknown with a suggestion, not also as the missing key it meant.
  const meant = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}/${closest(String((e.params as { additionalProperty: string }).additionalProperty), Object.keys((e.parentSchema as SchemaView).properties ?? {}))}`),
  );
  for (const error of errors) {
    const path = pathOf(data, error.instancePath);
    if (insideMock(path)) continue;
    if (error.keyword === 'required' && meant.has(`${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`)) continue;
    const schema = (error.parentSchema ?? {}) as SchemaView & { properties?: Record<string, unknown> };
    const value = valueAt(data, path);
    const full = [...base, ...path];
    const where = full.length === 0 ? 'the test file' : `\`${formatPath(full)}\``;
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = String((error.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys(schema.properties ?? {});
        const suggestion = closest(name, allowed);
        add([...path, name], true, `unknown key \`${name}\` in ${where}${suggestion ? `; did you mean \`${suggestion}\`?` : allowed.length ? `; allowed keys are ${allowed.join(', ')}` : ''}`);
        break;
      }
      case 'required': {
        const name = String((error.params as { missingProperty: string }).missingProperty);
        if (isSignal(full) && (name === 'at' || name === 'when')) break; // the signal's `oneOf` says it once
        add(path, false, `${where} needs \`${name}\``);
        break;
      }
      case 'oneOf':
        if (isSignal(full)) {
          const both = isRecord(value) && 'at' in value && 'when' in value;
          add(path, false, both ? `signal ${where} has both \`at\` and \`when\`; give only one` : `signal ${where} needs \`at: <duration>\` or \`when: waited\``);
        } else add(path, false, `${where} does not match any of its allowed forms, got ${show(value)}`);
        break;
      case 'not':
        add(path, false, `case ${where} has both \`input\` and \`inputFile\`; give only one`);
        break;
      case 'minProperties':
      case 'maxProperties':
        add(path, false, `a mock answer ${where} needs exactly one of ${listWords(['result', 'error', 'real'], 'or')}, got ${isRecord(value) ? listWords(Object.keys(value)) || 'none' : show(value)}`);
        break;
      default:
        add(path, false, `${where} must be ${isDurationSchema(schema) ? `a duration (${DURATION_HELP})` : expected(schema)}, got ${show(value)}`);
    }
  }
}

function isSignal(path: JsonPath): boolean {
  return path.length >= 2 && path[path.length - 2] === 'signals';
}

/** Whether a `oneOf` error comes from the Mock definition (its branches are the three answer forms). */
function isMockChoice(error: ErrorObject): boolean {
  const schema = error.parentSchema as { oneOf?: { $ref?: string }[] } | undefined;
  return schema?.oneOf?.some((branch) => branch.$ref === '#/definitions/Answer') ?? false;
}

/** An ajv instance path (`/cases/0/mocks/payments.charge`) as segments, numbers for array indices. */
function pathOf(data: unknown, pointer: string): JsonPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let value: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const next = Array.isArray(value) ? Number(segment) : segment;
    path.push(next);
    value = isRecord(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[next] : undefined;
  }
  return path;
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let value = data;
  for (const segment of path) value = isRecord(value) || Array.isArray(value) ? (value as Record<string | number, unknown>)[segment] : undefined;
  return value;
}

function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
