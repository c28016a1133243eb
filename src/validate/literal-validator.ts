import { Ajv, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../interpreter/model.js';

let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction | null>();

/**
 * A validator that explains every way a literal value breaks `schema` (an activity's
 * input schema, a workflow's input schema), compiled once per schema object, or null
 * when the schema accepts anything or does not compile (the json-schema check and
 * `revo catalog` are where bad schemas are reported).
 *
 * One-shot use from a short-lived CLI: the schemas are not meta-validated again and
 * ajv's code optimizer is off, which halves compile time.
 */
export function literalValidator(schema: JsonSchema): ValidateFunction | null {
  if (typeof schema === 'boolean') return null;
  if (compiled.has(schema)) return compiled.get(schema)!;
  ajv ??= new Ajv({
    allErrors: true,
    verbose: true,
    strict: false,
    validateFormats: false,
    validateSchema: false,
    addUsedSchema: false,
    logger: false,
    code: { optimize: false },
  });
  let validate: ValidateFunction | null = null;
  try {
    validate = ajv.compile(schema);
  } catch {
    validate = null;
  }
  compiled.set(schema, validate);
  return validate;
}
