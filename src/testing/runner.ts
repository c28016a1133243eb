/**
 * Runs workflow test files: each file is loaded and checked, its workflow prepared
 * once, then its cases run one after the other. A file that cannot run (a broken
 * test file, an invalid workflow) is reported with its problems; the others still run.
 */
import type { ActivityDefinition } from '../activities/types.js';
import type { CaseResult, FileResult, TestReport } from './report.js';
import { prepareFile } from './prepare-file.js';
import { runCase } from './run-case.js';
import { loadTestFile } from './test-file.js';

export interface RunTestsOptions {
  /** `--activities`: modules for every file, instead of each file's own. */
  activities?: readonly string[];
  /** Run only the cases whose name contains this text. */
  casesNamed?: string;
  /** Called as each file is done (to print results as they come). */
  onFile?(result: FileResult): void | Promise<void>;
}

export async function runTests(files: readonly string[], options: RunTestsOptions = {}): Promise<TestReport> {
  const started = performance.now();
  const cache = new Map<string, Promise<Map<string, ActivityDefinition>>>();
  const results: FileResult[] = [];
  for (const file of files) {
    const result = await runFile(file, { ...options, cache });
    results.push(result);
    await options.onFile?.(result);
  }
  return { files: results, wallMs: performance.now() - started };
}

async function runFile(file: string, options: RunTestsOptions & { cache: Map<string, Promise<Map<string, ActivityDefinition>>> }): Promise<FileResult> {
  const started = performance.now();
  const done = (rest: Omit<FileResult, 'file' | 'wallMs'>): FileResult => ({ file, ...rest, wallMs: performance.now() - started });
  const loaded = await loadTestFile(file);
  if (!loaded.ok) return done({ cases: [], problems: loaded.diagnostics, text: loaded.text });
  const { test } = loaded;
  const prepared = await prepareFile(test, { ...(options.activities && { activities: options.activities }), cache: options.cache });
  if (!prepared.ok) return done({ cases: [], problems: prepared.problems, text: test.text });
  const cases: CaseResult[] = [];
  for (const testCase of test.content.cases) {
    if (options.casesNamed !== undefined && !testCase.name.includes(options.casesNamed)) continue;
    cases.push(await runCase(test, prepared.file, testCase));
  }
  return done({ workflow: prepared.file.bundle.definition.name, cases, problems: [], text: test.text });
}
