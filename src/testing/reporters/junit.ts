/**
 * JUnit XML for CI systems (GitHub test reporters, GitLab, Jenkins): one
 * <testsuite> per test file, one <testcase> per case, a <failure> with every
 * failed expectation, and an <error> for a file that could not run.
 */
import { displayPath, portablePath } from '../../validate/format/paths.js';
import type { CaseResult, FileResult, TestReport } from '../report.js';
import { totals } from '../report.js';

export function formatJunit(report: TestReport): string {
  const { passed, failed, broken } = totals(report);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="revo test" tests="${passed + failed + broken}" failures="${failed}" errors="${broken}" time="${seconds(report.wallMs)}">`,
  ];
  for (const file of report.files) out.push(...suite(file));
  out.push('</testsuites>', '');
  return out.join('\n');
}

function suite(file: FileResult): string[] {
  const path = portablePath(file.file);
  const failures = file.cases.filter((c) => !c.passed).length;
  const errors = file.problems.length > 0 ? 1 : 0;
  const head = `  <testsuite name="${xml(path)}" tests="${file.cases.length + errors}" failures="${failures}" errors="${errors}" time="${seconds(file.wallMs)}">`;
  const body = file.cases.map((c) => testCase(c, path, file.workflow ?? path));
  if (errors) {
    const text = file.problems.map((d) => `${displayPath(d.file)}${d.line > 0 ? `:${d.line}:${d.col}` : ''}: ${d.message}`).join('\n');
    body.push(`    <testcase name="${xml(path)}" classname="${xml(path)}" file="${xml(path)}" time="0">`, `      <error message="${xml(firstLine(file.problems[0]!.message))}">${xml(text)}</error>`, '    </testcase>');
  }
  return [head, ...body, '  </testsuite>'];
}

function testCase(result: CaseResult, path: string, workflow: string): string {
  const open = `    <testcase name="${xml(result.name)}" classname="${xml(workflow)}" file="${xml(path)}" line="${result.line}" time="${seconds(result.wallMs)}"`;
  if (result.passed) return `${open}/>`;
  const text = result.failures.map((f) => {
    const lines = [`${path}:${f.line}: ${f.message}`];
    if ('expected' in f) lines.push(`  expected: ${JSON.stringify(f.expected)}`);
    if (f.missing) lines.push('  actual:   (absent)');
    else if ('actual' in f) lines.push(`  actual:   ${JSON.stringify(f.actual)}`);
    return lines.join('\n');
  });
  const message = result.failures[0]?.message ?? 'failed';
  return `${open}>\n      <failure message="${xml(message)}" type="expectation">${xml(text.join('\n'))}</failure>\n    </testcase>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold (ANSI escapes among them). */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
