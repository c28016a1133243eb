/**
 * The human report of `revo test`: per file, one line per case (✓/✗, name, real
 * and virtual time), under a failed case each failure with its file:line and the
 * expected and actual values; problems that kept a file from running with a code
 * frame; then a summary line.
 *
 *   definitions/shipping.test.yaml (shipping)
 *     ✓ books the cheaper carrier  4 ms
 *     ✗ retries a throttled booking  3 ms · 2s virtual
 *         definitions/shipping.test.yaml:31: step `book` made a different number of attempts
 *           expected: 3
 *           actual:   2
 *
 *   1 passed, 1 failed (2 cases in 1 file, 0.1 s)
 */
import { formatDuration } from '../../../interpreter/duration.js';
import { codeFrame, SourceLines } from '../../validate/format/code-frame.js';
import { displayPath, plural } from '../../validate/format/paths.js';
import type { CaseResult, FileResult, TestReport } from '../report.js';
import { totals } from '../report.js';

type Paint = (text: string) => string;

interface Palette {
  green: Paint;
  red: Paint;
  dim: Paint;
  bold: Paint;
}

const ansi = (open: number, close: number): Paint => (text) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Paint = (text) => text;

function palette(color: boolean): Palette {
  return color ? { green: ansi(32, 39), red: ansi(31, 39), dim: ansi(2, 22), bold: ansi(1, 22) } : { green: plain, red: plain, dim: plain, bold: plain };
}

/** The block of one file, printed as soon as the file is done. */
export function formatFileResult(result: FileResult, color: boolean): string {
  const p = palette(color);
  const path = displayPath(result.file);
  const lines = [p.bold(path) + (result.workflow ? p.dim(` (${result.workflow})`) : '')];
  if (result.problems.length > 0) {
    lines.push(`  ${p.red('✗ could not run:')}`);
    const source = new SourceLines(result.text);
    for (const problem of result.problems) {
      lines.push(indent(`${problem.line > 0 ? `${path}:${problem.line}:${problem.col}` : path}: ${problem.message}`, 4));
      const frame = result.text ? codeFrame(source, problem, { gutter: p.dim, marker: p.red }) : '';
      if (frame) lines.push(indent(frame, 4));
    }
  }
  for (const testCase of result.cases) lines.push(...formatCase(testCase, path, p));
  if (result.problems.length === 0 && result.cases.length === 0) lines.push(p.dim('  (no case matched)'));
  return `${lines.join('\n')}\n\n`;
}

function formatCase(result: CaseResult, path: string, p: Palette): string[] {
  const time = p.dim(`  ${Math.round(result.wallMs)} ms${result.virtualMs ? ` · ${formatDuration(result.virtualMs)} virtual` : ''}`);
  if (result.passed) return [`  ${p.green('✓')} ${result.name}${time}`];
  const lines = [`  ${p.red('✗')} ${result.name}${time}`];
  for (const failure of result.failures) {
    lines.push(`      ${p.dim(`${path}:${failure.line}:`)} ${failure.message}`);
    if ('expected' in failure) lines.push(`        expected: ${p.green(indentRest(show(failure.expected), 18))}`);
    if (failure.missing) lines.push(`        actual:   ${p.red('(absent)')}`);
    else if ('actual' in failure) lines.push(`        actual:   ${p.red(indentRest(show(failure.actual), 18))}`);
  }
  return lines;
}

/** The summary line: `12 passed, 1 failed, 1 file could not run (13 cases in 8 files, 0.4 s)`. */
export function formatSummary(report: TestReport, color: boolean): string {
  const p = palette(color);
  const { passed, failed, broken } = totals(report);
  const parts = [p.green(`${passed} passed`)];
  if (failed > 0) parts.push(p.red(`${failed} failed`));
  if (broken > 0) parts.push(p.red(`${plural(broken, 'file')} could not run`));
  const seconds = (report.wallMs / 1000).toFixed(1);
  return `${parts.join(', ')} ${p.dim(`(${plural(passed + failed, 'case')} in ${plural(report.files.length, 'file')}, ${seconds} s)`)}\n`;
}

/** A value as compact JSON on one line when short, else indented JSON (strings quoted, so "10" and 10 differ). */
function show(value: unknown): string {
  if (value === undefined) return '(nothing)';
  const compact = JSON.stringify(value);
  return compact.length <= 80 ? compact : JSON.stringify(value, null, 2);
}

function indent(text: string, by: number): string {
  return text.split('\n').map((line) => ' '.repeat(by) + line).join('\n');
}

/** Indents every line but the first (continuation lines of a labelled value). */
function indentRest(text: string, by: number): string {
  return text.split('\n').join(`\n${' '.repeat(by)}`);
}
