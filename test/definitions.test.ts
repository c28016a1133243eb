import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadActivities, loadActivityModule, toCatalogFile } from '../src/activities/catalog.js';
import { WorkflowSet } from '../src/load/workflow-set.js';
import { validateSet } from '../src/validate/validate.js';
import { workflowFiles } from '../src/load/files.js';

const ROOT = join(import.meta.dirname, '..');
const DEFINITIONS = join(ROOT, 'definitions');
const ACTIVITIES = join(DEFINITIONS, 'activities', 'index.ts');

describe('definitions/', () => {
  it('every example passes validation with no warning, checked against its activity code', async () => {
    const files = await workflowFiles([DEFINITIONS]);
    expect(files.length).toBeGreaterThanOrEqual(6);
    const { catalog } = await loadActivities({ activities: [ACTIVITIES] });
    const diagnostics = validateSet(await WorkflowSet.load(files), { catalog });
    expect(diagnostics).toEqual([]);
  });

  it('together use every step kind', async () => {
    const texts = (await workflowFiles([DEFINITIONS])).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const kind of ['call', 'set', 'switch', 'parallel', 'foreach', 'while', 'sleep', 'wait', 'child', 'try', 'fail', 'return']) {
      expect(texts, kind).toMatch(new RegExp(`^\\s*(- )?${kind}:`, 'm'));
    }
  });

  it('ship a catalog.json that matches their activity code', async () => {
    const committed = JSON.parse(readFileSync(join(DEFINITIONS, 'catalog.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(toCatalogFile(await loadActivityModule(ACTIVITIES)))));
  });

  it('pass `revo validate --strict definitions/` as a user runs it', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin', 'revo.js'), 'validate', '--strict', 'definitions/'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/valid/);
  });
});
