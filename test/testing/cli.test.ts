/**
 * `revo test` as a user runs it (the bundled CLI: `npm run build` first), and the
 * pre-commit hook of docs/ci/pre-commit in a real git repository.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITY_MODULE, ROOT, workspace } from './helpers.js';

const BIN = join(ROOT, 'bin', 'revo.js');

function revo(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const WORKFLOW = `revo: 1
name: pay
steps:
  - id: charge
    call: pay.charge
    with: { amount: 10 }
    result: payment
  - { id: nap, sleep: 30d }
output: { chargeId: { var: payment.chargeId } }
`;

const PASSING = `cases:
  - name: charges
    expect: { output: { chargeId: ch_10 }, duration: 30d }
`;

const FAILING = `cases:
  - name: charges
    expect:
      output: { chargeId: ch_99 }
`;

const project = (test: string) => workspace({ 'flows/pay.yaml': WORKFLOW, 'flows/pay.test.yaml': test, 'flows/activities/index.js': ACTIVITY_MODULE });

describe('revo test', () => {
  it('prints a line per case and a summary, and exits 0 when every case passes', () => {
    const { code, stdout } = revo(['test'], project(PASSING));
    expect(stdout).toMatch(/^flows\/pay\.test\.yaml \(pay\)\n {2}✓ charges {2}\d+ ms · 30d virtual\n/);
    expect(stdout).toMatch(/1 passed \(1 case in 1 file, [\d.]+ s\)\n$/);
    expect(code).toBe(0);
  });

  it('exits 1 on a failed expectation, with file:line and the expected and actual values', () => {
    const { code, stdout } = revo(['test', 'flows'], project(FAILING));
    expect(stdout).toMatch(/\n {2}✗ charges {2}\d+ ms · 30d virtual\n/);
    expect(stdout).toContain(['      flows/pay.test.yaml:4: `output.chargeId` differs', '        expected: "ch_99"', '        actual:   "ch_10"'].join('\n'));
    expect(stdout).toContain('0 passed, 1 failed');
    expect(code).toBe(1);
  });

  it('writes well-formed JUnit XML with the failure, and still prints the text report', () => {
    const dir = project(FAILING);
    const { code, stdout } = revo(['test', '--format', 'junit', '--output', 'junit.xml'], dir);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ charges');
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="revo test" tests="1" failures="1" errors="0"/);
    expect(xml).toContain('<testcase name="charges" classname="pay" file="flows/pay.test.yaml" line="2"');
    expect(xml).toContain('<failure message="`output.chargeId` differs" type="expectation">flows/pay.test.yaml:4: `output.chargeId` differs\n  expected: &quot;ch_99&quot;\n  actual:   &quot;ch_10&quot;</failure>');
    expectWellFormed(xml);
    expect(revo(['test', '--format', 'junit'], project(PASSING)).stdout).toContain('<testcase name="charges" classname="pay"');
  });

  it('exits 2 without a stack trace for a broken test file, a missing path or no tests', () => {
    const broken = revo(['test'], project('cases:\n  - nmae: x\n'));
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain('flows/pay.test.yaml:2:5: unknown key `nmae` in `cases[0]`; did you mean `name`?');
    expect(broken.stdout).not.toContain('needs `name`'); // the typo is the one problem
    expect(broken.stdout + broken.stderr).not.toMatch(/\n\s+at /);
    expect(revo(['test', 'nowhere'], project(PASSING))).toMatchObject({ code: 2, stderr: 'revo: no such file or directory: nowhere\n' });
    const empty = workspace({ 'a.yaml': WORKFLOW });
    expect(revo(['test'], empty)).toMatchObject({ code: 2, stderr: expect.stringContaining('no workflow tests (*.test.yaml)') });
    expect(revo(['test', '--pass-with-no-tests', 'a.yaml'], empty).code).toBe(0);
  });

  it('has --help', () => {
    const { code, stdout } = revo(['test', '--help'], ROOT);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: revo test [options] [paths...]');
    expect(stdout).toContain('--format <format>');
  });
});

describe('the pre-commit hook (docs/ci/pre-commit)', () => {
  const HOOK = join(ROOT, 'docs', 'ci', 'pre-commit');

  function repository(files: Record<string, string>) {
    const dir = workspace(files);
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    const hook = () => spawnSync('sh', [HOOK], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', REVO: `${process.execPath} ${BIN}` } });
    return { hook };
  }

  it('refuses a commit with an invalid staged workflow, printing the diagnostic', () => {
    const { hook } = repository({ 'flows/pay.yaml': WORKFLOW.replace('call: pay.charge', 'call: pay.chrage'), 'flows/activities/index.js': ACTIVITY_MODULE, 'flows/catalog.json': '' });
    const result = hook();
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('flows/pay.yaml:5:11: error: step `charge` calls activity `pay.chrage`');
    expect(result.stderr).toContain('commit refused');
  });

  it('refuses a commit whose staged workflow fails its tests', () => {
    const { hook } = repository({ 'flows/pay.yaml': WORKFLOW, 'flows/pay.test.yaml': FAILING, 'flows/activities/index.js': ACTIVITY_MODULE });
    const result = hook();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('✗ charges');
  });

  it('lets a valid, tested workflow through', () => {
    const { hook } = repository({ 'flows/pay.yaml': WORKFLOW.replace('pay.charge', 'core.echo').replace('{ amount: 10 }', '{ chargeId: ch_10 }'), 'flows/pay.test.yaml': PASSING, 'notes.yaml': 'not: a workflow\n' });
    const result = hook();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('✓ charges');
  });
});

/** Every tag closed in order, attributes quoted: enough to catch broken XML from string building. */
function expectWellFormed(xml: string): void {
  const stack: string[] = [];
  for (const [, closing, name, attributes, selfClosing] of xml.replace(/^<\?xml[^>]*\?>/, '').matchAll(/<(\/?)([A-Za-z]+)([^>]*?)(\/?)>/g)) {
    expect(attributes!.replace(/\s+[a-z]+="[^"<>]*"/g, '').trim(), `attributes of <${name}>`).toBe('');
    if (selfClosing) continue;
    if (closing) expect(stack.pop()).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  expect(xml.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos);)/);
}
