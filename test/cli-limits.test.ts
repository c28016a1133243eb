/**
 * docs/dsl.md#limits-on-values at the CLI: an input or a signal payload over the limits
 * is a usage error (exit 2) with one clear line, never a stack trace, and creates no run.
 * Uses the built CLI (`npm run build`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, APPROVAL_WORKFLOW, startRun, until, workspace } from './process-helpers.js';

const deepJson = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const ECHO = `revo: 1
name: echo-input
steps:
  - { id: echo, call: core.echo, with: { var: input }, result: echoed }
`;

describe('limits on values at the CLI', () => {
  it('revo run with an --input nested 10,000 deep exits 2 with a clear message, and no run exists', () => {
    const ws = workspace({ 'echo.yaml': ECHO });
    const result = ws.revo(['run', 'echo.yaml', '--input', deepJson(10_000)]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^revo: the input of workflow "echo-input" \(.*echo\.yaml\) nests deeper than 256 levels of arrays and objects, the limit; nothing was run\n$/);
    expect(result.stderr).not.toMatch(/Maximum call stack|\n\s+at /);
    const runs = ws.revo(['runs', '--json']);
    expect(runs.status).toBe(0);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it('revo start and --input-file refuse inputs over the limits too; one at the limit runs', () => {
    const ws = workspace({ 'echo.yaml': ECHO });
    writeFileSync(join(ws.dir, 'deep.json'), deepJson(10_000));
    writeFileSync(join(ws.dir, 'deep.yaml'), `${'- '.repeat(3000)}1\n`);
    writeFileSync(join(ws.dir, 'big.json'), JSON.stringify({ rows: Array.from({ length: 3 }, () => 'x'.repeat(1_000_000)) }));
    for (const args of [
      ['start', 'echo.yaml', '--input', deepJson(300)],
      ['run', 'echo.yaml', '--input-file', 'deep.json'],
      ['run', 'echo.yaml', '--input-file', 'deep.yaml'],
      ['run', 'echo.yaml', '--input-file', 'big.json'],
    ]) {
      const result = ws.revo(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(/nests (deeper than 256 levels|too deep to read)|larger than 2 MB as JSON/);
      expect(result.stderr, args.join(' ')).not.toMatch(/Maximum call stack|\n\s+at /);
    }
    expect(JSON.parse(ws.revo(['runs', '--json']).stdout)).toEqual([]);
    const fine = ws.revo(['run', 'echo.yaml', '--input', `{"tree": ${deepJson(254)}}`, '--quiet']);
    expect(fine.stderr).toBe('');
    expect(fine.status).toBe(0);
  });

  it('revo signal with a payload nested 10,000 deep exits 2 and sends nothing', async () => {
    const ws = workspace({ 'approval.yaml': APPROVAL_WORKFLOW, 'effects.mjs': ACTIVITIES });
    const run = await startRun(ws, ['approval.yaml', '--activities', 'effects.mjs']);
    try {
      await until(() => ws.effects().includes('done a'), 'step a');
      const refused = ws.revo(['signal', run.runId, 'approve', `{"by": "ann", "deep": ${deepJson(10_000)}}`]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`run ${run.runId} refuses signal "approve": the payload of signal "approve" nests deeper than 256 levels of arrays and objects, the limit; nothing was sent`);
      expect(refused.stderr).not.toMatch(/Maximum call stack|\n\s+at /);
      expect(ws.revo(['signal', run.runId, 'approve', '{"by": "ann"}']).status).toBe(0);
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill();
    }
  });
});
