/** A run's input: read from JSON text or a JSON/YAML file, and checked against the workflow's `input` schema. */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import { InvalidInputError, UsageError } from '../errors.js';
import { schemaProblem } from '../sandboxed/payload-check.js';

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
    const text = await readFile(source.inputFile, 'utf8').catch(() => {
      throw new UsageError(`cannot read the input file ${source.inputFile}`);
    });
    try {
      return (parse(text, { maxAliasCount: 100 }) ?? null) as Json;
    } catch (error) {
      throw new InvalidInputError(`${source.inputFile} is not valid JSON or YAML: ${(error as Error).message}`);
    }
  }
  return {};
}

/** Refuses an input that does not match the workflow's input schema, before any run exists. */
export function checkInput(bundle: WorkflowBundle, input: Json, file?: string): void {
  const problem = schemaProblem(bundle.definition.input, input);
  if (problem) {
    throw new InvalidInputError(`the input does not match the input schema of workflow "${bundle.definition.name}"${file ? ` (${file})` : ''}: ${problem}; nothing was run`);
  }
}
