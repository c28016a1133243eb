/** A run's input: read from JSON text or a JSON/YAML file, and checked against the workflow's `input` schema. */
import { readFile, stat } from 'node:fs/promises';
import { parse } from 'yaml';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import { InvalidInputError, UsageError } from '../errors.js';
import { schemaProblem } from '../sandboxed/payload-check.js';
import { VALUE_LIMITS, valueLimitProblem } from '../sandboxed/value-limits.js';

export interface InputSource {
  /** `--input`: JSON text. */
  input?: string;
  /** `--input-file`: a JSON or YAML file. */
  inputFile?: string;
}

/** The input from `--input` or `--input-file`; `{}` when neither is given. */
export async function readInput(source: InputSource): Promise<Json> {
  if (source.input !== undefined && source.inputFile !== undefined) throw new UsageError('give either --input or --input-file, not both');
  if (source.input !== undefined) {
    try {
      return JSON.parse(source.input) as Json;
    } catch (error) {
      throw new InvalidInputError(`--input is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (source.inputFile !== undefined) {
    const file = source.inputFile;
    const unreadable = () => {
      throw new UsageError(`cannot read the input file ${file}`);
    };
    // Far over the size limit whatever its formatting: refused without reading it.
    const { size } = await stat(file).catch(unreadable);
    if (size > MAX_INPUT_FILE_BYTES) {
      throw new InvalidInputError(`${file} is ${(size / 1024 / 1024).toFixed(1)} MB; an input is limited to ${VALUE_LIMITS.maxBytes / 1024 / 1024} MB as JSON; nothing was run`);
    }
    const text = await readFile(file, 'utf8').catch(unreadable);
    // JSON first: JSON.parse takes any nesting, and the limits are checked before anything recurses.
    try {
      return JSON.parse(text) as Json;
    } catch {
      // not JSON: YAML
    }
    try {
      return (parse(text, { maxAliasCount: 100 }) ?? null) as Json;
    } catch (error) {
      // The parser recurses per level of nesting; it may report the overflow as a parse error.
      if (error instanceof RangeError || /Maximum call stack size exceeded/.test((error as Error).message)) {
        throw new InvalidInputError(`${file} nests too deep to read (inputs are limited to ${VALUE_LIMITS.maxDepth} levels of arrays and objects); nothing was run`);
      }
      throw new InvalidInputError(`${file} is not valid JSON or YAML: ${(error as Error).message}`);
    }
  }
  return {};
}

/** An input file larger than this is refused unread: pretty-printed or YAML, it cannot be within the limit. */
const MAX_INPUT_FILE_BYTES = 4 * VALUE_LIMITS.maxBytes;

/** Refuses an input over the limits on values or not matching the workflow's input schema, before any run exists. */
export function checkInput(bundle: WorkflowBundle, input: Json, file?: string): void {
  // The limits first: schema validation recurses, and an input nested deep enough would overflow the stack.
  const tooBig = valueLimitProblem(input);
  if (tooBig) throw new InvalidInputError(`the input of workflow "${bundle.definition.name}"${file ? ` (${file})` : ''} ${tooBig}; nothing was run`);
  const problem = schemaProblem(bundle.definition.input, input);
  if (problem) {
    throw new InvalidInputError(`the input does not match the input schema of workflow "${bundle.definition.name}"${file ? ` (${file})` : ''}: ${problem}; nothing was run`);
  }
}
