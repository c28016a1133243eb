/** What running workflow tests produces: the shapes the runner hands to the reporters. */
import type { JsonPath } from '../load/source-map.js';
import type { Diagnostic } from '../validate/diagnostic.js';

/** Why a case failed: a message, located in the test file, with the values compared when there are some. */
export interface Failure {
  /** Path inside the case (`['expect', 'output', 'carrier']`), for the file:line of the message. */
  path: JsonPath;
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** True when the actual value is absent (a missing key), so "actual" is not printed as undefined. */
  missing?: boolean;
}

export interface CaseResult {
  name: string;
  index: number;
  /** 1-based line of the case in the test file. */
  line: number;
  passed: boolean;
  failures: (Failure & { line: number })[];
  /** Real time the case took, in ms. */
  wallMs: number;
  /** Time on the virtual clock from the start of the run to its end, in ms (undefined if it never ran). */
  virtualMs?: number;
}

export interface FileResult {
  file: string;
  /** The name of the workflow under test, when it loaded. */
  workflow?: string;
  cases: CaseResult[];
  /** Problems that kept the file from running: a broken test file, an invalid workflow, activities that do not load. */
  problems: Diagnostic[];
  /** The file's own text, for code frames under its problems. */
  text: string;
  wallMs: number;
}

export interface TestReport {
  files: FileResult[];
  wallMs: number;
}

export interface Totals {
  passed: number;
  failed: number;
  /** Files that could not run. */
  broken: number;
}

export function totals(report: TestReport): Totals {
  const cases = report.files.flatMap((f) => f.cases);
  return { passed: cases.filter((c) => c.passed).length, failed: cases.filter((c) => !c.passed).length, broken: report.files.filter((f) => f.problems.length > 0).length };
}
