import { describe, expect, it } from 'vitest';
import { duplicateName } from '../../src/validate/checks/duplicate-name.js';
import { positions, validateSources } from '../helpers.js';

const wf = (name: string) => `revo: 1
name: ${name}
steps:
  - id: a
    call: core.echo
`;

describe('duplicate-name', () => {
  it('reports the later of two files with one name', async () => {
    const diagnostics = await validateSources({ 'a.yaml': wf('billing'), 'b.yaml': wf('billing') }, { checks: [duplicateName] });
    expect(diagnostics.map((d) => `${d.file} ${positions([d])[0]}`)).toEqual(['b.yaml 2:7 error duplicate-name']);
    expect(diagnostics[0]!.message).toBe(
      'workflow name `billing` is already used by a.yaml:2; names must be unique in a definitions set (child steps, runs and deploys find a workflow by name) — rename one of them',
    );
  });

  it('accepts distinct names', async () => {
    const diagnostics = await validateSources({ 'a.yaml': wf('billing'), 'b.yaml': wf('shipping') }, { checks: [duplicateName] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
