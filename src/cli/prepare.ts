/**
 * What `revo run` (and friends) do before a run exists: load the file and the
 * activities, validate, bundle the definitions, read and check the input. Every
 * problem here is the user's to fix, reported with file and line, and no run is created.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { Json } from '../../interpreter/model.js';
import { loadActivities } from '../activities/catalog.js';
import type { ActivityDefinition, Catalog } from '../activities/types.js';
import { UsageError } from '../errors.js';
import { buildBundle } from '../load/bundle.js';
import type { LoadedFile } from '../load/load.js';
import { childReferences, isPathReference, WorkflowSet } from '../load/workflow-set.js';
import { schemaProblem } from '../sandboxed/payload-check.js';
import { formatText } from '../validate/format/text.js';
import { RULES } from '../validate/rules.js';
import { validateFile } from '../validate/validate.js';
import { workflowFiles } from './files.js';
import { useColor } from './output.js';

export interface RunSource {
  /** `--input` JSON text. */
  input?: string;
  /** `--input-file`: a JSON or YAML file. */
  inputFile?: string;
  /** `--activities` modules; default: `activities/index.(ts|js)` beside the workflow file, if there is one. */
  activities?: string[];
}

export interface PreparedRun {
  file: string;
  bundle: WorkflowBundle;
  input: Json;
  activities: Map<string, ActivityDefinition>;
  /** The activity modules loaded, as absolute paths (recorded so a resume loads the same). */
  activityModules: string[];
}

/** Activity modules used when none are given: an `activities/index.ts` (or .js) beside the workflow. */
export function activitiesBeside(file: string): string[] {
  for (const name of ['index.ts', 'index.js', 'index.mjs']) {
    const candidate = join(dirname(file), 'activities', name);
    if (existsSync(candidate)) return [candidate];
  }
  return [];
}

/** The activity modules a run of `file` uses: those given, else the ones beside it. */
export function activityModules(file: string, given: string[] | undefined): string[] {
  return (given?.length ? given : activitiesBeside(file)).map((m) => resolve(m));
}

export async function loadActivityMap(modules: string[]): Promise<Map<string, ActivityDefinition>> {
  const { definitions } = await loadActivities({ activities: modules });
  return new Map(definitions.map((d) => [d.name, d]));
}

export async function prepareRun(file: string, source: RunSource): Promise<PreparedRun> {
  if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  const modules = activityModules(file, source.activities);
  const activities = await loadActivityMap(modules);
  const bundle = await bundleWorkflow(file, new Map([...activities.values()].map((d) => [d.name, d])));
  const input = await readInput(source);
  const problem = schemaProblem(bundle.definition.input, input);
  if (problem) {
    throw new UsageError(`the input does not match the input schema of workflow "${bundle.definition.name}" (${file}): ${problem}; nothing was run`);
  }
  return { file, bundle, input, activities, activityModules: modules };
}

/** A workflow file (or a child it needs) has validation errors: `report` is the diagnostics, formatted. */
export class InvalidWorkflowError extends UsageError {
  constructor(
    readonly file: string,
    readonly report: string,
  ) {
    super(`${file} is not a valid workflow; nothing was run.\n${report}`);
  }
}

/**
 * Loads `file` and the child workflows it needs, validates them against `catalog`
 * and bundles them; an invalid workflow is an InvalidWorkflowError carrying the diagnostics.
 */
export async function bundleWorkflow(file: string, catalog: Catalog): Promise<WorkflowBundle> {
  const set = await loadWorkflows(file);
  const used = reachable(set, file);
  const diagnostics = used.flatMap((f) => validateFile(f, set, { catalog })).filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) {
    const sources = new Map(set.files().map((f) => [f.file, f.text]));
    const report = formatText(diagnostics, { sources, color: useColor(process.stderr), rules: RULES, filesChecked: set.files().length });
    throw new InvalidWorkflowError(file, report.trimEnd());
  }
  return buildBundle(used[0]!, set, catalog);
}

/**
 * The workflow and the children it references. A child named (not given by path) is
 * looked for among the workflow files in the same directory.
 */
async function loadWorkflows(file: string): Promise<WorkflowSet> {
  const set = await WorkflowSet.load([file]);
  const named = set.files().some((f) => childReferences(f).some((ref) => !isPathReference(ref) && !set.resolve(f, ref)));
  if (!named) return set;
  return WorkflowSet.load([file, ...(await workflowFiles([dirname(file)])).filter((f) => resolve(f) !== resolve(file))]);
}

/** The file and, transitively, the child workflows it references: what a run of it needs. */
function reachable(set: WorkflowSet, file: string): LoadedFile[] {
  const root = set.files().find((f) => resolve(f.file) === resolve(file))!;
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const ref of childReferences(out[i]!)) {
      const target = set.resolve(out[i]!, ref);
      if (target && !out.includes(target)) out.push(target);
    }
  }
  return out;
}

/** The run's input from `--input` or `--input-file`; `{}` when neither is given. */
export async function readInput(source: RunSource): Promise<Json> {
  if (source.input !== undefined && source.inputFile !== undefined) throw new UsageError('give either --input or --input-file, not both');
  if (source.input !== undefined) {
    try {
      return JSON.parse(source.input) as Json;
    } catch (error) {
      throw new UsageError(`--input is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (source.inputFile !== undefined) {
    const text = await readFile(source.inputFile, 'utf8').catch(() => {
      throw new UsageError(`cannot read the input file ${source.inputFile}`);
    });
    try {
      return (parse(text, { maxAliasCount: 100 }) ?? null) as Json;
    } catch (error) {
      throw new UsageError(`${source.inputFile} is not valid JSON or YAML: ${(error as Error).message}`);
    }
  }
  return {};
}
