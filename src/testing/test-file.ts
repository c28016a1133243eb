/**
 * Workflow test files (`*.test.yaml`, schema/workflow-test.schema.json): what they
 * hold once loaded, and loading them with positions so every problem, and every
 * failed expectation, can name its file and line.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Json } from '../../interpreter/model.js';
import { loadText } from '../load/load.js';
import type { SourceMap } from '../load/source-map.js';
import { byPosition, type Diagnostic } from '../validate/diagnostic.js';
import { explainTestFile } from './test-file-schema.js';

/** One answer of a mock: a result, an error, or the real activity. */
export type Answer = { result: Json } | { error: MockError } | { real: true };

export interface MockError {
  type: string;
  message?: string;
  details?: Json;
  nonRetryable?: boolean;
}

/** A mock as written: one answer for every call, one per attempt, or one per call in order. */
export type Mock = Answer | Answer[] | { sequence: Answer[] };

export type Mocks = Record<string, Mock>;

export interface SignalPlan {
  name: string;
  payload?: Json;
  /** A duration after the start, or `waited`: when a `wait` for it starts. */
  at?: string;
  when?: 'waited';
}

export interface StepLists {
  taken?: string[];
  skipped?: string[];
  notTaken?: string[];
  completed?: string[];
  failed?: string[];
}

export interface Expectations {
  status?: 'completed' | 'failed' | 'cancelled';
  output?: Json;
  error?: { type?: string; message?: Json; step?: string; details?: Json };
  steps?: StepLists;
  attempts?: Record<string, number>;
  compensations?: string[];
  calls?: Record<string, Json[]>;
  logs?: Json[];
  duration?: string;
}

export interface TestCase {
  /** Position in the file's `cases`. */
  index: number;
  name: string;
  input?: Json;
  inputFile?: string;
  mocks?: Mocks;
  signals?: SignalPlan[];
  cancel?: { at: string };
  expect?: Expectations;
}

/** A test file as written (it matched the schema). */
export interface TestFileContent {
  workflow?: string;
  activities?: string[];
  unmocked?: 'real' | 'error';
  mocks?: Mocks;
  cases: TestCase[];
}

export interface TestFile {
  /** The path as the user gave it (or as found), used in every message. */
  file: string;
  text: string;
  source: SourceMap;
  content: TestFileContent;
  /** The workflow under test, resolved against the test file's directory. */
  workflow: string;
}

export type LoadedTestFile = { ok: true; test: TestFile } | { ok: false; file: string; text: string; diagnostics: Diagnostic[] };

/** Reads and checks a test file against the schema; never throws for a bad file. */
export async function loadTestFile(file: string): Promise<LoadedTestFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    return { ok: false, file, text: '', diagnostics: [problemAt(file, 1, 1, `cannot read the test file: ${reason}`)] };
  }
  if (text.trim() === '') {
    return { ok: false, file, text, diagnostics: [problemAt(file, 1, 1, 'the test file is empty; it needs at least `cases: [{ name: …, expect: … }]`')] };
  }
  // The workflow loader brings positions, size and nesting limits, and refuses duplicate keys and YAML tricks.
  const loaded = loadText(file, text);
  if (loaded.definition === undefined) return { ok: false, file, text, diagnostics: loaded.diagnostics };
  const problems = explainTestFile(loaded.definition);
  if (problems.length > 0) {
    const diagnostics = problems.map(({ path, key, message }) => ({ file, ...loaded.source.rangeOf(path, { key }), severity: 'error' as const, rule: 'test-file', message })).sort(byPosition);
    return { ok: false, file, text, diagnostics };
  }
  const content = loaded.definition as TestFileContent;
  content.cases.forEach((c, index) => (c.index = index));
  const duplicate = duplicateCaseName(content.cases);
  if (duplicate) {
    return { ok: false, file, text, diagnostics: [{ file, ...loaded.source.rangeOf(['cases', duplicate.index, 'name']), severity: 'error', rule: 'test-file', message: `two cases are named "${duplicate.name}"; give each case its own name` }] };
  }
  return { ok: true, test: { file, text, source: loaded.source, content, workflow: workflowUnderTest(file, content.workflow) } };
}

/** `workflow:` resolved against the test file's directory; default `<name>.yaml` beside `<name>.test.yaml`. */
function workflowUnderTest(file: string, given: string | undefined): string {
  if (given !== undefined) return join(dirname(file), given);
  return join(dirname(file), basename(file).replace(/\.test\.ya?ml$/, '.yaml'));
}

function duplicateCaseName(cases: TestCase[]): TestCase | undefined {
  const seen = new Set<string>();
  return cases.find((c) => (seen.has(c.name) ? true : (seen.add(c.name), false)));
}

/** A path relative to the test file's directory, made absolute. */
export function besideTestFile(test: TestFile, path: string): string {
  return resolve(dirname(test.file), path);
}

export function problemAt(file: string, line: number, col: number, message: string): Diagnostic {
  return { file, line, col, endLine: line, endCol: col, severity: 'error', rule: 'test-file', message };
}
