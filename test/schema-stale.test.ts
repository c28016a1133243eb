/**
 * When the precompiled validator does not match schema/workflow.schema.json (the
 * schema was edited and the module not rebuilt), validation compiles the schema
 * file at run time instead of trusting the stale module.
 */
import { describe, expect, it, vi } from 'vitest';
import { SCHEMA_SHA256 } from '../src/validate/generated/workflow-validator.js';
import { validateSources } from './helpers.js';

vi.mock('../src/validate/generated/workflow-validator.js', () => ({
  SCHEMA_SHA256: 'stale',
  validate: () => {
    throw new Error('the stale precompiled validator must not be used');
  },
}));

describe('a stale precompiled validator', () => {
  it('is replaced by the schema file compiled at run time', async () => {
    expect(SCHEMA_SHA256).toBe('stale');
    const valid = 'revo: 1\nname: demo\nsteps:\n  - id: a\n    sleep: 1s\n';
    expect(await validateSources({ 'wf.yaml': valid }, { checks: [] })).toEqual([]);
    const invalid = 'revo: 1\nname: demo\nsteps:\n  - id: a\n    sleep: 1s\n    sleeep: 2s\n';
    const diagnostics = await validateSources({ 'wf.yaml': invalid }, { checks: [] });
    expect(diagnostics.map((d) => `${d.line}:${d.col} ${d.rule} ${d.message}`)).toEqual([
      '6:5 schema unknown key `sleeep` in step `a`; did you mean `sleep`?',
    ]);
  });
});
