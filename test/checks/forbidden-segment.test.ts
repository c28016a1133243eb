import { describe, expect, it } from 'vitest';
import { forbiddenSegment } from '../../src/validate/checks/forbidden-segment.js';
import { positions, validateSources } from '../helpers.js';

describe('forbidden-segment', () => {
  it('reports prototype-reaching var paths in templates, expressions, output and queries', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: proto
output: { var: result.constructor.name }
queries:
  odd: { missing: [ a, b.__proto__ ] }
steps:
  - id: a
    when: { map: [ { var: input.items }, { var: prototype } ] }
    call: core.echo
    with: { x: { var: input.__proto__.polluted } }
`,
    }, { checks: [forbiddenSegment] });
    expect(positions(diagnostics)).toEqual([
      '3:16 error forbidden-segment',
      '5:24 error forbidden-segment',
      '8:49 error forbidden-segment',
      '10:23 error forbidden-segment',
    ]);
    expect(diagnostics[3]!.message).toBe(
      'variable path `input.__proto__.polluted` in `with` of step `a` has the segment `__proto__`, which could reach object prototypes; it is refused at run time too — rename the variable or property',
    );
    expect(diagnostics[0]!.message).toContain('in `output` has the segment `constructor`');
  });

  it('accepts ordinary paths', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: proto
output: { var: result.constructorName }
steps:
  - id: a
    call: core.echo
    with: { x: { var: input.protos.0 }, raw: { $literal: { var: a.__proto__ } } }
`,
    }, { checks: [forbiddenSegment] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
