import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'revo.js');

/** Runs the real CLI as a user would (it needs `npm run build`, done by `npm test`). */
function revo(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'revo-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const VALID = `revo: 1
name: hello
steps:
  - id: greet
    call: core.echo
    with: { greeting: hello }
    result: greeting
`;

const UNKNOWN_ACTIVITY = `revo: 1
name: billing
steps:
  - id: charge
    call: payments.charge
    with: { amount: 10 }
`;

const ACTIVITY_MODULE = `import { defineActivity } from '${join(ROOT, 'src', 'index.ts')}';
export const charge = defineActivity({
  name: 'payments.charge',
  input: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } }, additionalProperties: false } as const,
  output: { type: 'object', properties: { id: { type: 'string' } } } as const,
  async run({ amount }) { return { id: 'ch_' + amount }; },
});
`;

describe('revo CLI', () => {
  it('prints help for the program and for every command', () => {
    const top = revo(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['validate', 'schema', 'catalog']) {
      expect(top.stdout).toContain(command);
      const help = revo([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: revo ${command}`);
    }
  });

  it('exits 2 on an unknown option or command, without a stack trace', () => {
    for (const args of [['validate', '--no-such-flag'], ['frobnicate']]) {
      const result = revo(args);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 with a clear message for a missing file', () => {
    const result = revo(['validate', 'no/such/file.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no such file or directory: no/such/file.yaml');
  });

  it('exits 2 when a directory holds no workflow', () => {
    const dir = workspace({ 'docs/compose.yaml': 'services: {}\n' });
    const result = revo(['validate', 'docs'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no workflow files in docs');
  });

  it('exits 0 on a valid file and 1 with file:line:col diagnostics on an invalid one', () => {
    const dir = workspace({ 'ok.yaml': VALID, 'bad.yaml': UNKNOWN_ACTIVITY });
    expect(revo(['validate', 'ok.yaml'], dir).code).toBe(0);
    const bad = revo(['validate', 'bad.yaml'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^bad\.yaml:5:11: error: .*payments\.charge.* \[unknown-activity\]$/m);
  });

  it('finds workflows in a directory, skipping other YAML and *.test.yaml files', () => {
    const dir = workspace({
      'flows/ok.yaml': VALID,
      'flows/nested/bad.yaml': UNKNOWN_ACTIVITY,
      'flows/compose.yaml': 'services: { db: { image: postgres } }\n',
      'flows/ok.test.yaml': 'cases: []\n',
    });
    const result = revo(['validate', 'flows', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.files).toBe(2);
    expect(report.diagnostics.map((d: { file: string }) => d.file)).toEqual(['flows/nested/bad.yaml']);
  });

  it('checks calls against activities from a TypeScript module and from a JSON catalog', () => {
    const dir = workspace({ 'bad.yaml': UNKNOWN_ACTIVITY, 'activities.ts': ACTIVITY_MODULE });
    expect(revo(['validate', 'bad.yaml', '--activities', 'activities.ts'], dir).code).toBe(0);

    const catalog = revo(['catalog', '--activities', 'activities.ts', '-o', 'catalog.json'], dir);
    expect(catalog.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'catalog.json'), 'utf8'));
    expect(written.revoCatalog).toBe(1);
    expect(written.activities.map((a: { name: string }) => a.name)).toEqual(['payments.charge']);
    expect(revo(['validate', 'bad.yaml', '--catalog', 'catalog.json'], dir).code).toBe(0);
  });

  it('writes a catalog served on a task queue, which routes calls there without a warning (docs/dsl.md#routing)', () => {
    const routed = UNKNOWN_ACTIVITY.replace('call: payments.charge', 'call: payments.charge\n    taskQueue: payments');
    expect(routed).toContain('taskQueue: payments');
    const dir = workspace({ 'routed.yaml': routed, 'activities.ts': ACTIVITY_MODULE });
    expect(revo(['catalog', '--activities', 'activities.ts', '--task-queue', 'payments', '-o', 'payments.json'], dir).code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'payments.json'), 'utf8'));
    expect(written.activities.map((a: { name: string; taskQueue: string }) => [a.name, a.taskQueue])).toEqual([['payments.charge', 'payments']]);
    const quiet = revo(['validate', 'routed.yaml', '--catalog', 'payments.json', '--strict'], dir);
    expect(quiet.stdout).not.toContain('task-queue');
    expect(quiet.code).toBe(0);
    const elsewhere = revo(['validate', 'routed.yaml', '--activities', 'activities.ts', '--strict'], dir);
    expect(elsewhere.stdout).toMatch(/warning: task queue `payments` is named nowhere in the activity catalog.*\[task-queue\]/);
    expect(elsewhere.code).toBe(1);
  });

  it('exits 2 for an activity module that does not load', () => {
    const dir = workspace({ 'ok.yaml': VALID, 'broken.ts': 'export const x = ;\n' });
    const result = revo(['validate', 'ok.yaml', '--activities', 'broken.ts'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot load activities from broken.ts');
  });

  it('fails on warnings only with --strict', () => {
    const warnOnly = `revo: 1
name: signals
signals:
  approve: {}
steps:
  - id: done
    set: { ok: true }
`;
    const dir = workspace({ 'w.yaml': warnOnly });
    const lenient = revo(['validate', 'w.yaml'], dir);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning');
    expect(revo(['validate', '--strict', 'w.yaml'], dir).code).toBe(1);
  });

  it('prints GitHub annotations with --format github', () => {
    const dir = workspace({ 'bad.yaml': UNKNOWN_ACTIVITY });
    const result = revo(['validate', 'bad.yaml', '--format', 'github'], dir);
    expect(result.stdout).toMatch(/^::error file=bad\.yaml,line=5,col=11,/m);
  });

  it('prints the JSON Schema', () => {
    const result = revo(['schema']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'schema', 'workflow.schema.json'), 'utf8')));
  });
});

describe('revo run refuses what it cannot run, before creating a run', () => {
  const TYPED = `revo: 1
name: typed
input: { type: object, required: [n], properties: { n: { type: integer } } }
steps:
  - { id: double, call: core.echo, with: { twice: { "*": [{ var: input.n }, 2] } }, result: doubled }
output: { var: doubled.twice }
`;

  it('runs a valid workflow and prints its output', () => {
    const dir = workspace({ 'typed.yaml': TYPED });
    const result = revo(['run', 'typed.yaml', '--input', '{"n": 21}', '--quiet'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^run typed-\S+ completed\n42\n$/);
  });

  it.each([
    [['run', 'missing.yaml'], /no such file: missing\.yaml/],
    [['run', 'typed.yaml', '--input', '{n: 1}'], /--input is not valid JSON/],
    [['run', 'typed.yaml', '--input', '{"n": "one"}'], /input does not match the input schema of workflow "typed".*\/n must be integer; nothing was run/],
    [['run', 'typed.yaml'], /must have required property 'n'|missing the required field "n"/],
    [['run', 'broken.yaml'], /broken\.yaml is not a valid workflow; nothing was run\.\nbroken\.yaml:5:\d+: error: .*core\.ecko/],
    [['run', 'typed.yaml', '--input', '{}', '--input-file', 'x.json'], /either --input or --input-file/],
  ])('%j → exit 2', (args, message) => {
    const dir = workspace({ 'typed.yaml': TYPED, 'broken.yaml': TYPED.replace('call: core.echo', 'call: core.ecko').replace('name: typed', 'name: broken') });
    const result = revo(args, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, '.revo'))).toBe(false);
  });
});
