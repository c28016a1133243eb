/**
 * Where a definition holds templates and expressions (docs/dsl.md#expressions-and-templates), for the checks
 * that look inside them. Shared by the semantic checks; reads schema-valid JSON only.
 */
import type { Json, Step, WorkflowDefinition } from '../../interpreter/model.js';
import { FORBIDDEN_OPERATIONS, OPERATIONS, isLiteral, operationArgs, soleKey } from '../../interpreter/expression-syntax.js';
import { walkSteps, type JsonPath } from '../../interpreter/walk.js';

export interface TemplateSite {
  /** JSON path of the template or expression, e.g. `['steps', 2, 'with']`. */
  path: JsonPath;
  value: Json;
  /**
   * An expression position (`when`, `while`, `foreach`, a switch case's `when`, an
   * object `sleep`): the value must be a JSON Logic expression. Otherwise a
   * template: objects that are not one-key operations are walked as data.
   */
  expression: boolean;
  /** What the site is, for messages: `when`, `with`, `set.total`, `output`, `queries.progress`… */
  field: string;
  /** The step holding the site (undefined for `output` and `queries`). */
  step?: Step;
  stepPath?: JsonPath;
}

const jsonCache = new WeakMap<object, string>();

/** The definition as JSON text, computed once per definition for the checks that need it. */
export function definitionJson(definition: WorkflowDefinition): string {
  let text = jsonCache.get(definition);
  if (text === undefined) {
    text = JSON.stringify(definition);
    jsonCache.set(definition, text);
  }
  return text;
}

/** Every template and expression of a definition, in document order. */
export function templateSites(definition: WorkflowDefinition): TemplateSite[] {
  const sites: TemplateSite[] = [];
  if (definition.output !== undefined) sites.push({ path: ['output'], value: definition.output, expression: false, field: 'output' });
  for (const [name, query] of Object.entries(definition.queries ?? {})) {
    sites.push({ path: ['queries', name], value: query, expression: false, field: `queries.${name}` });
  }
  for (const { step, path } of walkSteps(definition.steps)) {
    const s = step as unknown as Record<string, Json | undefined>;
    const add = (relative: JsonPath, value: Json | undefined, expression: boolean, field: string) => {
      if (value !== undefined) sites.push({ path: [...path, ...relative], value, expression, field, step, stepPath: path });
    };
    add(['when'], s.when, true, 'when');
    if ('call' in step) add(['with'], step.with, false, 'with');
    if ('set' in step) for (const [name, value] of Object.entries(step.set)) add(['set', name], value, false, `set.${name}`);
    if ('switch' in step) step.switch.forEach((c, i) => add(['switch', i, 'when'], c.when, true, `switch[${i}].when`));
    if ('foreach' in step) {
      add(['foreach'], step.foreach, true, 'foreach');
      add(['collect'], step.collect, false, 'collect');
    }
    if ('while' in step) add(['while'], step.while, true, 'while');
    if ('sleep' in step && typeof step.sleep === 'object' && step.sleep !== null) add(['sleep'], step.sleep, true, 'sleep');
    if ('child' in step) {
      add(['child', 'input'], step.child.input, false, 'child.input');
      add(['child', 'workflowId'], step.child.workflowId, false, 'child.workflowId');
    }
    if ('fail' in step) {
      add(['fail', 'message'], step.fail.message, false, 'fail.message');
      add(['fail', 'details'], step.fail.details, false, 'fail.details');
    }
    if ('return' in step) add(['return'], step.return, false, 'return');
  }
  return sites;
}

/** A one-key object that is evaluated as a JSON Logic operation (or must be one). */
export interface OperationNode {
  kind: 'operation';
  /** The key: a known operation, a forbidden one (`method`, `log`) or an unknown one. */
  op: string;
  known: boolean;
  node: Record<string, Json>;
  /** Path of the object; its key is at `[...path, op]`. */
  path: JsonPath;
  /** Normalized arguments and their paths. */
  args: Json[];
  argPaths: JsonPath[];
}

/** An object with several keys (or none) standing where an expression is required. */
export interface NotAnOperation {
  kind: 'not-an-operation';
  node: Record<string, Json>;
  path: JsonPath;
}

/** A one-key object in a template whose key is not an operation: it is copied as data. */
export interface DataObject {
  kind: 'data';
  key: string;
  node: Record<string, Json>;
  path: JsonPath;
}

export type ExpressionNode = OperationNode | NotAnOperation | DataObject;

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every operation evaluated in a template or expression, outermost first, with its
 * position. In a template only one-key objects whose key is an operation are
 * evaluated; in an expression position (and in every argument of an operation) any
 * one-key object is taken as an operation, known or not, as json-logic-js does.
 * `$literal` values are not entered. Where the site itself is an expression
 * position, an object of several keys is yielded as `not-an-operation`; inside
 * operation arguments such an object is plain data and is not entered. A one-key
 * object of a template whose key is no operation is yielded as `data` (it may be a
 * misspelt operation) and then walked like any other template object.
 */
export function* expressionNodes(value: Json, path: JsonPath, expression: boolean): Generator<ExpressionNode> {
  yield* visit(value, path, expression ? 'expression' : 'template');
}

type Mode = 'template' | 'expression' | 'argument';

function* visit(value: Json, path: JsonPath, mode: Mode): Generator<ExpressionNode> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* visit(value[i]!, [...path, i], mode);
    return;
  }
  if (!isRecord(value) || isLiteral(value)) return;
  const key = soleKey(value);
  const known = key !== undefined && OPERATIONS.has(key);
  const isOperation = key !== undefined && (mode !== 'template' || known || FORBIDDEN_OPERATIONS.has(key));
  if (isOperation) {
    const args = operationArgs(value, key);
    const argPaths = Array.isArray(value[key]) ? args.map((_, i) => [...path, key, i]) : [[...path, key]];
    yield { kind: 'operation', op: key, known, node: value, path, args, argPaths };
    for (let i = 0; i < args.length; i++) yield* visit(args[i]!, argPaths[i]!, 'argument');
    return;
  }
  if (mode === 'expression') {
    yield { kind: 'not-an-operation', node: value, path };
    return;
  }
  if (mode === 'template') {
    if (key !== undefined) yield { kind: 'data', key, node: value, path };
    for (const k of Object.keys(value)) yield* visit(value[k]!, [...path, k], mode);
  }
}

/** A `var` path string, as read by a `var`, `missing` or `missing_some` operation. */
export interface VarPath {
  /** The path as written: `input.amount`. */
  name: string;
  /** Where the string stands. */
  path: JsonPath;
}

/**
 * Every literal variable path read anywhere in a template or expression, including
 * the per-element arguments of `map`, `filter` and friends and the names given to
 * `missing` / `missing_some`. Dynamic paths (`{ var: { cat: … } }`) are not listed.
 */
export function* varPaths(value: Json, path: JsonPath, expression: boolean): Generator<VarPath> {
  for (const node of expressionNodes(value, path, expression)) {
    if (node.kind !== 'operation') continue;
    const { op, args, argPaths } = node;
    const named = (arg: Json | undefined, at: JsonPath | undefined): VarPath | undefined =>
      (typeof arg === 'string' || typeof arg === 'number') && at ? { name: String(arg), path: at } : undefined;
    if (op === 'var') {
      const found = named(args[0], argPaths[0]);
      if (found) yield found;
    } else if (op === 'missing') {
      // `missing` takes names, or one array of names.
      const list = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
      const listPaths = list === args ? argPaths : list.map((_, i) => [...argPaths[0]!, i]);
      for (let i = 0; i < list.length; i++) {
        const found = named(list[i], listPaths[i]);
        if (found) yield found;
      }
    } else if (op === 'missing_some' && Array.isArray(args[1])) {
      for (let i = 0; i < args[1].length; i++) {
        const found = named(args[1][i], [...argPaths[1]!, i]);
        if (found) yield found;
      }
    }
  }
}
