/**
 * JSON Schema checks at run time: activity input/output, workflow input, signal
 * payloads. Each schema is compiled once per process.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../interpreter/model.js';

let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  ajv ??= new Ajv({ allErrors: false, strict: false, validateFormats: false, logger: false });
  if (typeof schema === 'boolean') return ajv.compile(schema);
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'the value' : error.instancePath;
  if (error.keyword === 'additionalProperties') return `${where} has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.keyword === 'required') return `${where} is missing the required field "${(error.params as { missingProperty: string }).missingProperty}"`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** Undefined when `value` matches `schema`, else a one-line reason. */
export function schemaProblem(schema: JsonSchema | undefined, value: unknown): string | undefined {
  if (schema === undefined || schema === true) return undefined;
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  return (validate.errors ?? []).map(describe).join('; ') || 'does not match the schema';
}
