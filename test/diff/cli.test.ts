import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../process-helpers.js';

// These run the built CLI (bin/revo.js → dist/): `npm run build` first.

const OLD = `revo: 1
name: orders
input:
  type: object
  properties:
    amount: { type: number }
steps:
  - id: charge
    call: payments.charge
    with: { amount: { var: input.amount } }
  - id: notify
    call: core.log
    with: { message: charged }
`;

const NEW = OLD.replace('  properties:\n', '  required: [amount]\n  properties:\n').replace('message: charged', 'message: paid');

function git(ws: Workspace, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.name=Revo Test', '-c', 'user.email=test@example.com', ...args], { cwd: ws.dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
}

describe('revo diff', () => {
  it('prints the changes as text, breaking ones marked, and exits 0', () => {
    const ws = workspace({ 'old.yaml': OLD, 'new.yaml': NEW });
    const result = ws.revo(['diff', 'old.yaml', 'new.yaml']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        'orders: 2 changes, 1 breaking (old.yaml → new.yaml)',
        '  + input `amount`: now required [breaking]',
        '  ~ step `notify`: `with.message` changed',
        '      "charged" → "paid"',
        '',
      ].join('\n'),
    );
  });

  it('prints markdown for a pull request: summary, table and the new flowchart', () => {
    const ws = workspace({ 'old.yaml': OLD, 'new.yaml': NEW });
    const result = ws.revo(['diff', 'old.yaml', 'new.yaml', '--format', 'markdown']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('### Workflow `orders`: 2 changes, 1 breaking');
    expect(result.stdout).toContain('> [!WARNING]');
    expect(result.stdout).toContain('| ➕ ⚠️ **breaking** | input `amount`: now required |  |  |');
    expect(result.stdout).toContain('| ✏️ | step `notify`: `with.message` changed | `"charged"` | `"paid"` |');
    expect(result.stdout).toMatch(/```mermaid\nflowchart TD\n[\s\S]*notify<br\/>call core\.log[\s\S]*\n```\n/);
  });

  it('prints JSON with every change whole', () => {
    const ws = workspace({ 'old.yaml': OLD, 'new.yaml': NEW });
    const result = ws.revo(['diff', 'old.yaml', 'new.yaml', '--format', 'json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ old: { file: 'old.yaml', name: 'orders' }, new: { file: 'new.yaml', name: 'orders' }, summary: { changes: 2, breaking: 1 } });
    expect(report.changes[1]).toEqual({
      area: 'step',
      kind: 'changed',
      path: 'steps[1].with.message',
      stepId: 'notify',
      key: 'with.message',
      before: 'charged',
      after: 'paid',
      breaking: false,
      summary: 'step `notify`: `with.message` changed',
    });
  });

  it('exits 0 without changes; with --exit-code, 1 when there are changes', () => {
    const ws = workspace({ 'old.yaml': OLD, 'same.yaml': `# only a comment differs\n${OLD}`, 'new.yaml': NEW });
    const same = ws.revo(['diff', 'old.yaml', 'same.yaml', '--exit-code']);
    expect([same.status, same.stdout]).toEqual([0, 'orders: no changes (old.yaml → same.yaml)\n']);
    expect(ws.revo(['diff', 'old.yaml', 'new.yaml', '--exit-code']).status).toBe(1);
  });

  it('compares a file with itself at a git revision', () => {
    const ws = workspace({ 'flow.yaml': OLD });
    git(ws, 'init', '-q');
    git(ws, 'add', 'flow.yaml');
    git(ws, 'commit', '-q', '-m', 'first');
    writeFileSync(join(ws.dir, 'flow.yaml'), NEW);
    const result = ws.revo(['diff', '--git', 'HEAD', 'flow.yaml']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^orders: 2 changes, 1 breaking \(HEAD:flow\.yaml → flow\.yaml\)\n/);

    const badRef = ws.revo(['diff', '--git', 'no-such-branch', 'flow.yaml']);
    expect(badRef.status).toBe(2);
    expect(badRef.stderr).toMatch(/cannot read flow\.yaml at git revision no-such-branch: .*no-such-branch/);
    writeFileSync(join(ws.dir, 'untracked.yaml'), NEW);
    const untracked = ws.revo(['diff', '--git', 'HEAD', 'untracked.yaml']);
    expect(untracked.status).toBe(2);
    expect(untracked.stderr).toContain('cannot read untracked.yaml at git revision HEAD');
    for (const stderr of [badRef.stderr, untracked.stderr]) expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 outside a git repository, for a missing file and for a wrong number of files', () => {
    const ws = workspace({ 'flow.yaml': OLD });
    const outside = ws.revo(['diff', '--git', 'HEAD', 'flow.yaml']);
    expect(outside.status).toBe(2);
    expect(outside.stderr).toMatch(/not a git repository/);
    const missing = ws.revo(['diff', 'flow.yaml', 'gone.yaml']);
    expect([missing.status, missing.stderr]).toEqual([2, 'revo: no such file: gone.yaml\n']);
    const missingAtGit = ws.revo(['diff', '--git', 'HEAD', 'sub/gone.yaml']);
    expect([missingAtGit.status, missingAtGit.stderr]).toEqual([2, 'revo: no such file: sub/gone.yaml\n']);
    expect(ws.revo(['diff', 'flow.yaml']).stderr).toContain('give two files');
    expect(ws.revo(['diff', '--git', 'HEAD', 'flow.yaml', 'flow.yaml']).stderr).toContain('with --git, give one file');
  });

  it('exits 1 with diagnostics when a version is not a valid workflow', () => {
    const ws = workspace({ 'old.yaml': OLD, 'broken.yaml': NEW.replace('call: core.log', 'cal: core.log') });
    const result = ws.revo(['diff', 'old.yaml', 'broken.yaml']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^broken\.yaml:\d+:\d+: error: /m);
  });
});
