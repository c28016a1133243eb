import { describe, expect, it } from 'vitest';
import { stateQuery } from '../../src/validate/checks/state-query.js';
import { positions, validateSources } from '../helpers.js';

const wf = (query: string) => `revo: 1
name: queried
queries:
  progress: { var: done }
  ${query}: { var: total }
steps:
  - id: a
    set: { done: 1, total: 2 }
`;

describe('state-query', () => {
  it('reports a redeclared state query', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('state') }, { checks: [stateQuery] });
    expect(positions(diagnostics)).toEqual(['5:3 error state-query']);
    expect(diagnostics[0]!.message).toBe(
      'query `state` is built in (it returns the run status, current steps, variables and completed step count) and cannot be redeclared; give this query another name',
    );
  });

  it('accepts other query names', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf('totals') }, { checks: [stateQuery] }))).toEqual([]);
  });
});
