import { describe, expect, it } from 'vitest';
import { definitionSize } from '../../src/validate/checks/definition-size.js';
import { positions, validateSources } from '../helpers.js';

const wf = (bytes: number) => `revo: 1
name: huge
steps:
  - id: blob
    set:
      data: "${'x'.repeat(bytes)}"
`;

describe('definition-size', () => {
  it('warns when the normalized definition is over 256 KB', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf(300 * 1024) }, { checks: [definitionSize] });
    expect(positions(diagnostics)).toEqual(['2:7 warning definition-size']);
    expect(diagnostics[0]!.message).toBe(
      'workflow `huge` is 300 KB as normalized JSON; the definition is passed to Temporal as a payload, which warns above 256 KB and fails above 2 MB — ' +
        'move large data into activity inputs or split the workflow with child steps',
    );
  });

  it('accepts a definition under 256 KB', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf(200 * 1024) }, { checks: [definitionSize] }))).toEqual([]);
  });
});
