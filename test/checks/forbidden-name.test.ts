import { describe, expect, it } from 'vitest';
import { forbiddenName } from '../../src/validate/checks/forbidden-name.js';
import { positions, validateSources } from '../helpers.js';

describe('forbidden-name', () => {
  it('reports results, foreach `as`/`index` and catch `as` named __proto__, prototype or constructor', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: forbidden
steps:
  - id: fetch
    call: core.echo
    result: __proto__
  - id: each
    foreach: [1, 2]
    as: prototype
    index: constructor
    steps:
      - id: guarded
        try:
          - id: inner
            call: core.echo
        catch:
          - as: __proto__
            steps:
              - id: handle
                set: { total: 1 }
`,
    }, { checks: [forbiddenName] });
    expect(positions(diagnostics)).toEqual([
      '6:13 error forbidden-name',
      '9:9 error forbidden-name',
      '10:12 error forbidden-name',
      '17:17 error forbidden-name',
    ]);
    expect(diagnostics[0]!.message).toBe(
      'step `fetch` names a variable `__proto__` with `result`, which could reach object prototypes; it is refused at run time too, before any step runs — choose another variable name',
    );
    expect(diagnostics[1]!.message).toContain('step `each` names a variable `prototype` with the foreach `as`');
    expect(diagnostics[2]!.message).toContain('`constructor` with the foreach `index`');
    expect(diagnostics[3]!.message).toContain('step `guarded` names a variable `__proto__` with a catch `as`');
  });

  it('is one of the rules `revo validate` runs', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: forbidden
steps:
  - { id: fetch, call: core.echo, result: constructor }
`,
    });
    expect(positions(diagnostics)).toEqual(['4:43 error forbidden-name']);
  });

  it('accepts ordinary names, including ones that merely contain the words', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: forbidden
steps:
  - id: fetch
    call: core.echo
    result: prototypeDraft
  - id: each
    foreach: [1, 2]
    as: proto
    index: constructorIndex
    steps:
      - id: guarded
        try:
          - id: inner
            call: core.echo
        catch:
          - as: problem
            steps:
              - id: handle
                set: { __proto: 1 }
`,
    }, { checks: [forbiddenName] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
