/**
 * The workflow bundle preloads what holds no per-run state (src/temporal/workflow-code.ts):
 * every module of ours that reaches neither the SDK nor OpenTelemetry, read from the
 * compiled imports (dist/, built by `npm test`'s pretest).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { preloadableModules, WORKFLOW_MODULE } from '../src/temporal/workflow-code.js';

const preloaded = preloadableModules().map((file) => relative(join(PACKAGE_ROOT, 'dist'), file));

describe('the modules the workflow bundle preloads', () => {
  it('are the interpreter and the engine core modules that need no SDK', () => {
    expect(preloaded).toEqual(expect.arrayContaining(['interpreter/run.js', 'interpreter/steps/call.js', 'interpreter/expressions.js', 'src/sandboxed/payload-check.js', 'src/sandboxed/signals.js', 'src/sandboxed/workflow/contract.js']));
  });

  it('leave out the modules that import the SDK or OpenTelemetry, and the workflow itself', () => {
    for (const perRun of ['src/sandboxed/failures.js', 'src/sandboxed/visibility.js', 'src/sandboxed/telemetry.js', 'src/sandboxed/workflow/runtime.js']) expect(preloaded).not.toContain(perRun);
    expect(preloaded).not.toContain(relative(join(PACKAGE_ROOT, 'dist'), WORKFLOW_MODULE));
  });

  it('leave out a module that reaches the SDK only through another, and follow cycles and side-effect imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revo-preload-'));
    try {
      const files = {
        'entry.js': "import { a } from './a.js';\nimport './side.js';\nexport const x = a;\n",
        'a.js': "import { b } from './b.js';\nexport { c } from './c.js';\nexport const a = b;\n",
        'b.js': "import { a } from './a.js';\nimport { proxyActivities } from '@temporalio/workflow';\nexport const b = proxyActivities;\n",
        'c.js': "import { d } from './d.js';\nexport const c = d;\n",
        'd.js': "import { c } from './c.js';\nimport jsonLogic from 'json-logic-js';\nexport const d = jsonLogic;\n",
        'side.js': 'globalThis.x = 1;\n',
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      expect(preloadableModules(join(dir, 'entry.js')).map((f) => relative(dir, f)).sort()).toEqual(['c.js', 'd.js', 'side.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
