/**
 * The review step of the GitHub Actions workflow we ship (docs/ci/revo.yml), run for
 * real: its shell script, taken from the file, in a git repository with a base branch,
 * with `npx revo` pointing at this build. A changed workflow gets the semantic diff,
 * an added one its graph.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');
const STEP = 'Graph and semantic diff of the changed workflows';

function reviewScript(): string {
  const workflow = parse(readFileSync(join(ROOT, 'docs', 'ci', 'revo.yml'), 'utf8')) as { jobs: { check: { steps: { name?: string; run?: string }[] } } };
  const step = workflow.jobs.check.steps.find((s) => s.name === STEP);
  if (!step?.run) throw new Error(`docs/ci/revo.yml has no step "${STEP}"`);
  return step.run;
}

const flow = (name: string, extra = '') => `revo: 1\nname: ${name}\nsteps:\n  - { id: hello, call: core.echo, with: 1 }\n${extra}`;

describe('the CI review step (docs/ci/revo.yml)', () => {
  it('comments the semantic diff of a changed workflow and the graph of a new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revo-ci-'));
    const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.com');
    git('config', 'user.name', 'CI');
    mkdirSync(join(dir, 'workflows'));
    writeFileSync(join(dir, 'workflows', 'greet.yaml'), flow('greet'));
    writeFileSync(join(dir, 'workflows', 'notes.yaml'), 'just: some yaml\n');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    writeFileSync(join(dir, 'workflows', 'greet.yaml'), flow('greet', '  - { id: bye, call: core.echo, with: 2 }\n'));
    writeFileSync(join(dir, 'workflows', 'fresh.yaml'), flow('fresh'));
    git('add', '.');
    git('commit', '-qm', 'change');

    // `npx revo …` in the script runs this build.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npx'), `#!/bin/sh\nshift\nexec "${process.execPath}" "${join(ROOT, 'bin', 'revo.js')}" "$@"\n`);
    chmodSync(join(bin, 'npx'), 0o755);
    const summary = join(dir, 'summary.md');
    const result = spawnSync('bash', ['-e', '-c', reviewScript()], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, BASE: 'main', REVO_WORKFLOWS: 'workflows', GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1' },
    });
    expect(result.status, result.stderr).toBe(0);
    const review = readFileSync(join(dir, 'revo-review.md'), 'utf8');
    expect(review).toContain('<!-- revo-review -->');
    expect(review).toMatch(/### `workflows\/greet\.yaml`[\s\S]*bye/);
    expect(review).toMatch(/### `workflows\/fresh\.yaml`\s+New workflow\.\s+```mermaid\nflowchart/);
    expect(review).not.toContain('notes.yaml');
    expect(readFileSync(summary, 'utf8')).toBe(review);
  });
});
