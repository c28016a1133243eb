/**
 * What `revo deploy` will do, worked out before it talks to Temporal: which files,
 * against which activity catalog, which of them have a `schedule:`, and every reason
 * not to deploy anything at all (an invalid file, a schedule input the workflow's
 * input schema refuses, two files with one workflow name).
 */
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import { loadActivities } from '../activities/catalog.js';
import type { Catalog } from '../activities/types.js';
import { UsageError } from '../errors.js';
import { schemaProblem } from '../sandboxed/payload-check.js';
import type { TemporalSettings } from './connection.js';
import { desiredSchedule, scheduledInput, scheduleIdOf, type DesiredSchedule } from './schedules.js';
import { catalogsBeside, isWorkflow, workflowFiles } from '../load/files.js';
import { activitiesBeside } from '../activities/modules.js';
import { ValidationError } from '../errors.js';
import { bundleWorkflow } from '../load/bundle-workflow.js';
import { validationReport } from '../validate/format/validation-report.js';

export interface CatalogFlags {
  activities?: string[];
  catalog?: string[];
}

export interface PlannedSchedule {
  file: string;
  workflow: string;
  desired: DesiredSchedule;
}

export interface SkippedFile {
  file: string;
  workflow: string;
}

export interface DeployPlan {
  scheduled: PlannedSchedule[];
  /** Valid workflows without `schedule:`. */
  skipped: SkippedFile[];
  /** Each one a complete message; any of them means nothing is deployed. */
  problems: string[];
}

/** The files named, or the workflow files directly in the current directory (not below: fixtures live there). */
export async function deployFiles(paths: readonly string[]): Promise<string[]> {
  if (paths.length > 0) return workflowFiles(paths);
  const names = (await readdir('.')).filter((n) => /\.ya?ml$/.test(n) && !/\.test\.ya?ml$/.test(n)).sort();
  const files: string[] = [];
  for (const name of names) if (await isWorkflow(name)) files.push(name);
  if (files.length === 0) throw new UsageError('no workflow files in the current directory; name them: `revo deploy workflows/` or `revo deploy nightly.yaml`');
  return files;
}

/**
 * The catalog `call` steps are checked against: the flags when given; else a
 * `catalog.json` beside the files, and for directories without one the
 * `activities/index.ts` beside the workflow (as `revo run` uses).
 */
export async function deployCatalog(files: readonly string[], flags: CatalogFlags): Promise<Catalog> {
  if (flags.activities?.length || flags.catalog?.length) {
    return (await loadActivities({ activities: flags.activities, catalogs: flags.catalog })).catalog;
  }
  const catalogs = await catalogsBeside(files);
  const withCatalog = new Set(catalogs.map((c) => dirname(c)));
  const modules = new Set(files.filter((f) => !withCatalog.has(dirname(f))).flatMap((f) => activitiesBeside(f)));
  return (await loadActivities({ activities: [...modules], catalogs })).catalog;
}

/** `color`: whether the reports of invalid files may use ANSI colours. */
export async function planDeploy(files: readonly string[], catalog: Catalog, settings: TemporalSettings, color = false): Promise<DeployPlan> {
  const plan: DeployPlan = { scheduled: [], skipped: [], problems: [] };
  const fileOf = new Map<string, string>();
  for (const file of files) {
    let bundle: WorkflowBundle;
    try {
      bundle = await bundleWorkflow(file, catalog);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      plan.problems.push(validationReport(error, color));
      continue;
    }
    const { name, schedule } = bundle.definition;
    const other = fileOf.get(name);
    // One schedule per workflow name: two files would overwrite each other's.
    if (other !== undefined) plan.problems.push(`${file}: workflow "${name}" is also defined in ${other}; its schedule id ${scheduleIdOf(name)} is per workflow name`);
    fileOf.set(name, file);
    if (!schedule) {
      plan.skipped.push({ file, workflow: name });
      continue;
    }
    const inputProblem = schemaProblem(bundle.definition.input, scheduledInput(schedule));
    if (inputProblem) {
      plan.problems.push(`${file}: the schedule's input does not match the input schema of workflow "${name}": ${inputProblem}`);
      continue;
    }
    try {
      plan.scheduled.push({ file, workflow: name, desired: desiredSchedule(bundle, schedule, settings) });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      plan.problems.push(`${file}: ${error.message}`);
    }
  }
  return plan;
}
