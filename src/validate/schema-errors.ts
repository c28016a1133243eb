/**
 * Turns ajv's errors for an invalid definition into one clear problem each.
 *
 * Steps are validated against a `oneOf` of the twelve step kinds, so ajv reports
 * every kind's complaints for one bad step. Instead, each invalid step is looked at
 * on its own: by its kind key it is validated again against that kind's definition
 * alone (and so on, recursively, for the steps nested in it), or it is reported as
 * having no kind or several.
 */
import type { ErrorObject } from 'ajv';
import { STEP_KINDS } from '../../interpreter/model.js';
import type { JsonPath } from '../load/source-map.js';
import {
  DURATION_HELP,
  KIND_LIST,
  expected,
  formatPath,
  isDurationSchema,
  listWords,
  show,
  stepId,
  stepLabel,
  subject,
  type SchemaView,
  type StepContext,
} from './schema-messages.js';
import { explainer } from './schema-validator.js';
import { closest } from './suggest.js';

/** One schema problem, located by JSON path (at the key of that path with `key`). */
export interface SchemaProblem {
  path: JsonPath;
  key: boolean;
  message: string;
}

/** Keys every step kind has besides its kind key. */
const COMMON_STEP_KEYS = new Set(['id', 'name', 'when']);

/** Keywords about a single value, explained together as "must be …, got …". */
const VALUE_KEYWORDS = new Set([
  'type', 'const', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
]);

/** Explains why `definition` does not match the schema; empty when it does. */
export function explainDefinition(definition: unknown): SchemaProblem[] {
  const { root } = explainer();
  if (root(definition)) return [];
  const problems = new Problems();
  if (!isRecord(definition)) {
    problems.add([], false, `a workflow file must be a mapping with \`revo\`, \`name\` and \`steps\`, got ${show(definition)}`);
  } else {
    explainErrors(definition, root.errors ?? [], [], undefined, problems);
  }
  return problems.list;
}

/** An ajv error with its instance path as segments relative to the validated value. */
interface Located {
  path: JsonPath;
  error: ErrorObject;
}

class Problems {
  readonly list: SchemaProblem[] = [];
  private readonly seen = new Set<string>();

  add(path: JsonPath, key: boolean, message: string): void {
    const id = JSON.stringify([path, key, message]);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.list.push({ path, key, message });
  }
}

/**
 * Explains the errors of one validation of `data` (the definition, or one step),
 * which sits at `base` in the definition, inside `step` (undefined at the top).
 */
function explainErrors(data: unknown, errors: readonly ErrorObject[], base: JsonPath, step: StepContext | undefined, problems: Problems): void {
  const located = errors.map((error) => ({ path: segments(data, error.instancePath), error }));
  // The outermost invalid steps: everything ajv said inside them is replaced by explainStep.
  const stepPaths = located.filter(({ error }) => isStepChoice(error)).map(({ path }) => path);
  const outer = unique(stepPaths.filter((p) => !stepPaths.some((q) => q.length < p.length && startsWith(p, q))));
  const rest = located.filter(({ path }) => !outer.some((p) => startsWith(path, p)));
  explainShapes(data, rest, base, step, problems);
  for (const path of outer) explainStep(valueAt(data, path), [...base, ...path], problems);
}

function explainStep(value: unknown, path: JsonPath, problems: Problems): void {
  const step: StepContext = { path, id: stepId(value) };
  const label = stepLabel(step);
  if (!isRecord(value)) {
    problems.add(path, false, `a step must be a mapping with an \`id\` and one kind key (${KIND_LIST}), got ${show(value)}`);
    return;
  }
  const kinds = STEP_KINDS.filter((kind) => Object.prototype.hasOwnProperty.call(value, kind));
  if (kinds.length === 0) {
    for (const key of Object.keys(value)) {
      if (COMMON_STEP_KEYS.has(key)) continue;
      const kind = closest(key, STEP_KINDS);
      if (kind) {
        problems.add([...path, key], true, `${label} has no kind: \`${key}\` is not a step kind; did you mean \`${kind}\`?`);
        return;
      }
    }
    problems.add(path, false, `${label} has no kind; use one of ${KIND_LIST}`);
    return;
  }
  if (kinds.length > 1) {
    problems.add(
      [...path, kinds[1]!],
      true,
      `${label} has ${kinds.length} kind keys, ${listWords(kinds)}; a step has exactly one kind, so split it into ${kinds.length} steps`,
    );
    return;
  }
  const validate = explainer().kind(kinds[0]!);
  if (validate(value)) return;
  explainErrors(value, validate.errors ?? [], path, step, problems);
}

/** Errors that are not about which kind a step is: unknown and missing keys, wrong values. */
function explainShapes(data: unknown, errors: readonly Located[], base: JsonPath, step: StepContext | undefined, problems: Problems): void {
  const at = (path: JsonPath) => [...base, ...path];
  const consumed = new Set<Located>();
  const pathKey = (path: JsonPath) => JSON.stringify(path);

  // Unknown keys, with what each might have meant (also used to silence the matching "missing" error).
  const meant = new Map<string, Set<string>>();
  for (const item of errors) {
    const { error, path } = item;
    if (error.keyword !== 'additionalProperties') continue;
    consumed.add(item);
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys((error.parentSchema as SchemaView | undefined)?.properties ?? {});
    const suggestion = closest(key, allowed);
    if (suggestion) {
      const set = meant.get(pathKey(path)) ?? new Set<string>();
      set.add(suggestion);
      meant.set(pathKey(path), set);
    }
    const hint = suggestion
      ? `; did you mean \`${suggestion}\`?`
      : allowed.length > 0
        ? `; ${path.length === 0 && step ? `a \`${kindOf(data)}\` step takes` : 'allowed keys are'} ${allowed.join(', ')}`
        : '';
    problems.add(at([...path, key]), true, `unknown key \`${key}\` in ${subject(path, step)}${hint}`);
  }
  const missingIsTypo = (path: JsonPath, key: string) => meant.get(pathKey(path))?.has(key) ?? false;

  // `oneOf`/`anyOf` other than the step kinds: a schedule's cron XOR every, a sleep's duration or expression.
  for (const item of errors) {
    const { error, path } = item;
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    consumed.add(item);
    const branches = (error.schema as SchemaView[] | undefined) ?? [];
    const sameObject = errors.filter((other) => startsWith(other.path, path) && other.path.length === path.length && other !== item);
    const exclusiveKeys = requiredOnlyBranches(branches);
    if (exclusiveKeys) {
      for (const other of sameObject) {
        const missing = (other.error.params as { missingProperty?: string }).missingProperty;
        if (other.error.keyword === 'required' && missing !== undefined && exclusiveKeys.includes(missing)) consumed.add(other);
      }
      const passing = (error.params as { passingSchemas?: number[] | null }).passingSchemas;
      if (passing) {
        problems.add(at(path), false, `${subject(path, step)} has both ${listWords(passing.map((i) => exclusiveKeys[i]!))}; use only one`);
      } else if (!exclusiveKeys.some((key) => missingIsTypo(path, key))) {
        problems.add(at(path), false, `${subject(path, step)} needs one of ${listWords(exclusiveKeys, 'or')}`);
      }
      continue;
    }
    for (const other of sameObject) if (other.error.keyword !== 'propertyNames') consumed.add(other);
    const value = valueAt(data, path);
    if (branches.some((b) => typeof b.$ref === 'string' && b.$ref.endsWith('/Duration'))) {
      problems.add(
        at(path),
        false,
        typeof value === 'string'
          ? `${subject(path, step)} is not a duration: ${DURATION_HELP}, got ${show(value)}`
          : `${subject(path, step)} must be a duration like 30s or an expression that gives one, like \`{ var: delay }\`, got ${show(value)}`,
      );
    } else {
      problems.add(at(path), false, `${subject(path, step)} does not match any of its allowed forms, got ${show(value)}`);
    }
  }

  // One "must be …" per value, from the first value keyword that failed there.
  const valueDone = new Set<string>();
  for (const item of errors) {
    if (consumed.has(item)) continue;
    const { error, path } = item;
    if (error.keyword === 'propertyNames') {
      const name = String((error.params as { propertyName: string }).propertyName);
      problems.add(at([...path, name]), true, badKeyMessage(name, path, step));
    } else if ('propertyName' in error) {
      // Detail of a propertyNames error, explained with it.
    } else if (error.keyword === 'required') {
      const missing = String((error.params as { missingProperty: string }).missingProperty);
      if (!missingIsTypo(path, missing)) problems.add(at(path), false, `${subject(path, step)} is missing the required key \`${missing}\``);
    } else if (VALUE_KEYWORDS.has(error.keyword)) {
      if (valueDone.has(pathKey(path))) continue;
      valueDone.add(pathKey(path));
      problems.add(at(path), false, valueMessage(error.parentSchema as SchemaView | undefined, valueAt(data, path), subject(path, step)));
    } else {
      problems.add(at(path), false, `${subject(path, step)} ${error.message ?? 'is not valid'}`);
    }
  }
}

function valueMessage(schema: SchemaView | undefined, value: unknown, what: string): string {
  if (isDurationSchema(schema)) return `${what} is not a duration: ${DURATION_HELP}, got ${show(value)}`;
  return `${what} must be ${schema ? expected(schema) : 'a valid value'}, got ${show(value)}`;
}

/** A key refused by `propertyNames`: an activity pattern, a variable name, … */
function badKeyMessage(name: string, parent: JsonPath, step: StepContext | undefined): string {
  const last = parent.at(-1);
  if (!step && parent.length === 1 && last === 'activities') {
    return `\`${name}\` is not an activity name or prefix under \`activities\`: use an exact name like \`payments.charge\` or a prefix like \`payments.*\``;
  }
  if (step && parent.length === 1 && last === 'set') {
    return `\`${name}\` in \`set\` of ${stepLabel(step)} is not a variable name: use letters, digits, \`_\` and \`-\`, starting with a letter or \`_\``;
  }
  return `the key \`${name}\` is not allowed in ${subject(parent, step)}`;
}

/** The keys of a `oneOf` whose branches each only require one key (exactly one of them must be present). */
function requiredOnlyBranches(branches: readonly SchemaView[]): string[] | undefined {
  const keys: string[] = [];
  for (const branch of branches) {
    const b = branch as { required?: string[] };
    if (Object.keys(branch).length !== 1 || !Array.isArray(b.required) || b.required.length !== 1) return undefined;
    keys.push(b.required[0]!);
  }
  return keys.length > 0 ? keys : undefined;
}

function isStepChoice(error: ErrorObject): boolean {
  return error.keyword === 'oneOf' && (error.parentSchema as SchemaView | undefined)?.title === 'Step';
}

function kindOf(step: unknown): string {
  return isRecord(step) ? (STEP_KINDS.find((k) => k in step) ?? 'step') : 'step';
}

/** A JSON pointer as path segments, numbers where the value at that point is an array. */
function segments(data: unknown, pointer: string): JsonPath {
  if (pointer === '') return [];
  const out: (string | number)[] = [];
  let value: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      const index = Number(segment);
      out.push(index);
      value = value[index];
    } else {
      out.push(segment);
      value = isRecord(value) ? value[segment] : undefined;
    }
  }
  return out;
}

function valueAt(data: unknown, path: JsonPath): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value)) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

function startsWith(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

function unique(paths: JsonPath[]): JsonPath[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const id = formatPath(p) + JSON.stringify(p);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
