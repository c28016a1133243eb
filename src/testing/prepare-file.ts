/**
 * Everything a test file's cases share, made once per file: the activity modules,
 * the workflow under test validated and bundled (with its children), and a check
 * that every step, activity and signal the file names exists in that workflow.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { ActivityDefinition, ActivitySpec } from '../activities/types.js';
import { activitiesBeside, loadActivityMap } from '../activities/modules.js';
import { bundleWorkflow } from '../load/bundle-workflow.js';
import { UsageError } from '../errors.js';
import type { JsonPath } from '../load/source-map.js';
import type { Diagnostic } from '../validate/diagnostic.js';
import { closest } from '../validate/suggest.js';
import { besideTestFile, type TestFile } from './test-file.js';
import { idOfKey, indexWorkflow, type WorkflowIndex } from './workflow-index.js';

export interface PreparedFile {
  bundle: WorkflowBundle;
  index: WorkflowIndex;
  /** Activities with code, by name (built-ins included). */
  real: ReadonlyMap<string, ActivityDefinition>;
  /** Activities the workflow calls that no module defines (only mocks answer them). */
  codeless: string[];
}

export interface PrepareOptions {
  /** `--activities` modules: replace the file's own choice. */
  activities?: readonly string[];
  /** Activity maps already loaded, by their module list: each module is imported once per process. */
  cache?: Map<string, Promise<Map<string, ActivityDefinition>>>;
}

export type Prepared = { ok: true; file: PreparedFile } | { ok: false; problems: Diagnostic[] };

export async function prepareFile(test: TestFile, options: PrepareOptions = {}): Promise<Prepared> {
  const problem = (path: JsonPath, message: string): Prepared => ({ ok: false, problems: [diagnosticAt(test, path, message)] });
  const modules = options.activities?.length ? [...options.activities] : test.content.activities?.map((m) => besideTestFile(test, m)) ?? activitiesBeside(test.workflow);
  let real: Map<string, ActivityDefinition>;
  try {
    const key = JSON.stringify(modules);
    const cache = options.cache ?? new Map();
    if (!cache.has(key)) cache.set(key, loadActivityMap(modules));
    real = await cache.get(key)!;
  } catch (error) {
    if (error instanceof UsageError) return problem(test.content.activities ? ['activities'] : [], error.message);
    throw error;
  }
  // Mocks may stand in for activities that have no code (yet): the catalog knows their names, with any schema.
  const catalog = new Map<string, ActivitySpec>([...real.values()].map((d) => [d.name, d]));
  for (const name of mockKeys(test).map((m) => m.key)) if (!catalog.has(name)) catalog.set(name, { name, input: true, output: true });
  let bundle: WorkflowBundle;
  try {
    bundle = await bundleWorkflow(test.workflow, catalog);
  } catch (error) {
    if (error instanceof UsageError) return problem(test.content.workflow !== undefined ? ['workflow'] : [], error.message.replace(/^no such file: /, 'the workflow under test does not exist: '));
    throw error;
  }
  const index = indexWorkflow(bundle);
  const problems = referenceProblems(test, index).map(({ path, message }) => diagnosticAt(test, path, message));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, file: { bundle, index, real, codeless: [...index.activities].filter((name) => !real.has(name)) } };
}

function mockKeys(test: TestFile): { key: string; path: JsonPath }[] {
  const at = (mocks: Record<string, unknown> | undefined, base: JsonPath) => Object.keys(mocks ?? {}).map((key) => ({ key, path: [...base, key] }));
  return [...at(test.content.mocks, ['mocks']), ...test.content.cases.flatMap((c) => at(c.mocks, ['cases', c.index, 'mocks']))];
}

/** Names in the test file that the workflow does not have: typos, or a workflow that changed under its tests. */
function referenceProblems(test: TestFile, index: WorkflowIndex): { path: JsonPath; message: string }[] {
  const problems: { path: JsonPath; message: string }[] = [];
  const callables = [...index.callSteps.keys(), ...index.activities];
  const callable = (name: string, path: JsonPath, what: string) => {
    if (index.callSteps.has(name) || index.activities.has(name)) return;
    problems.push({ path, message: `${what} \`${name}\` is neither a call step of the workflow nor an activity it calls${hint(name, callables)}` });
  };
  const step = (name: string, path: JsonPath) => {
    if (index.stepIds.has(idOfKey(name))) return;
    problems.push({ path, message: `the workflow has no step \`${idOfKey(name)}\`${hint(idOfKey(name), index.stepIds)}` });
  };
  for (const { key, path } of mockKeys(test)) callable(key, path, 'mock');
  for (const c of test.content.cases) {
    const base: JsonPath = ['cases', c.index];
    (c.signals ?? []).forEach((s, i) => {
      if (!index.signals.has(s.name)) problems.push({ path: [...base, 'signals', i, 'name'], message: `the workflow declares no signal \`${s.name}\`${hint(s.name, index.signals)}` });
    });
    const expect = c.expect ?? {};
    for (const [list, names] of Object.entries(expect.steps ?? {}) as [string, string[]][]) names.forEach((name, i) => step(name, [...base, 'expect', 'steps', list, i]));
    for (const name of Object.keys(expect.attempts ?? {})) step(name, [...base, 'expect', 'attempts', name]);
    for (const name of Object.keys(expect.calls ?? {})) callable(name, [...base, 'expect', 'calls', name], 'calls of');
  }
  return problems;
}

function hint(name: string, candidates: Iterable<string>): string {
  const match = closest(name, candidates);
  return match ? `; did you mean \`${match}\`?` : '';
}

function diagnosticAt(test: TestFile, path: JsonPath, message: string): Diagnostic {
  // Not about any line of the test file (activities beside the workflow, the default workflow): line 0, no code frame.
  if (path.length === 0) return { file: test.file, line: 0, col: 0, endLine: 0, endCol: 0, severity: 'error', rule: 'test-file', message };
  const key = path.length > 0 && typeof path[path.length - 1] === 'string' && !['workflow', 'activities', 'name'].includes(path[path.length - 1] as string);
  return { file: test.file, ...test.source.rangeOf(path, { key }), severity: 'error', rule: 'test-file', message };
}
