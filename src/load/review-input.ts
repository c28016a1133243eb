/**
 * Reading workflows for the review commands (`graph`, `diff`). They draw or compare
 * one definition, so it must load, match the schema and pass the checks that need
 * nothing but the file itself. Activity catalogs and other workflow files are not
 * looked at: reviewing a file should not need the activity code or the whole repository.
 */
import { existsSync } from 'node:fs';
import type { WorkflowDefinition } from '../../interpreter/model.js';
import { UsageError } from '../errors.js';
import { loadFile, type LoadedFile } from './load.js';
import { WorkflowSet } from './workflow-set.js';
import { CHECKS } from '../validate/checks/index.js';
import { formatText } from '../validate/format/text.js';
import { RULES } from '../validate/rules.js';
import { validateFile } from '../validate/validate.js';

/** Rules that look beyond the file: at the activity catalog, or at the other workflows of a set. */
const NEEDS_MORE_THAN_THE_FILE: ReadonlySet<string> = new Set(['unknown-activity', 'activity-input', 'child-workflow', 'duplicate-name']);
const REVIEW_CHECKS = CHECKS.filter((check) => !NEEDS_MORE_THAN_THE_FILE.has(check.rule));

/** Loads a workflow file; a missing or unreadable one is a usage error (exit 2). */
export async function readWorkflowFile(path: string): Promise<LoadedFile> {
  if (!existsSync(path)) throw new UsageError(`no such file: ${path}`);
  const loaded = await loadFile(path);
  const unreadable = loaded.diagnostics.find((d) => d.rule === 'file');
  if (unreadable) throw new UsageError(`${path}: ${unreadable.message}`);
  return loaded;
}

export type ReviewInput = { ok: true; definitions: WorkflowDefinition[] } | { ok: false; report: string };

/**
 * The definitions of the given files, or, when any has errors, the report of every
 * error in the format of `revo validate` (file:line:col, code frame, summary).
 */
export function checkForReview(files: readonly LoadedFile[], color: boolean): ReviewInput {
  const errors = files.flatMap((file) => validateFile(file, new WorkflowSet([file]), { catalog: new Map(), checks: REVIEW_CHECKS })).filter((d) => d.severity === 'error');
  if (errors.length === 0) return { ok: true, definitions: files.map((file) => file.definition as WorkflowDefinition) };
  const sources = new Map(files.map((file) => [file.file, file.text]));
  return { ok: false, report: formatText(errors, { sources, color, rules: RULES, filesChecked: files.length }) };
}
