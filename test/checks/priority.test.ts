import { describe, expect, it } from 'vitest';
import { priority } from '../../src/validate/checks/priority.js';
import { positions, validateSources } from '../helpers.js';

describe('priority', () => {
  it('reports keys out of 1-5, weights out of range and fairness keys that are no string, on the workflow, calls and children', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: prio
priority: { key: 0, fairnessKey: { var: input.tenant } }
steps:
  - id: fetch
    call: core.echo
    priority: { key: 6, fairnessWeight: 5000 }
  - id: sub
    child: { workflow: other }
    priority: { fairnessKey: [a, b] }
`,
      'other.yaml': `revo: 1
name: other
steps:
  - id: hello
    call: core.echo
    priority: { key: 2, fairnessKey: "${'x'.repeat(65)}", fairnessWeight: 0.5 }
`,
    }, { checks: [priority] });
    expect(positions(diagnostics)).toEqual([
      '6:38 error priority', // other.yaml sorts first
      '3:18 error priority',
      '7:22 error priority',
      '7:41 error priority',
      '10:30 error priority',
    ]);
    expect(diagnostics[0]!.message).toBe("the fairnessKey of step `hello` is longer than 64 bytes, Temporal's limit; use a shorter key");
    diagnostics.shift();
    expect(diagnostics[0]!.message).toBe('priority key 0 of the workflow is out of range: keys run from 1 (runs first) to 5 (runs last), 3 when unset');
    expect(diagnostics[1]!.message).toBe('priority key 6 of step `fetch` is out of range: keys run from 1 (runs first) to 5 (runs last), 3 when unset');
    expect(diagnostics[2]!.message).toBe('fairnessWeight 5000 of step `fetch` is outside 0.001–1000; Temporal would clamp it, so give a weight in that range');
    expect(diagnostics[3]!.message).toBe('the fairnessKey of step `sub` must be a string or an expression that renders one, like `{ var: input.tenantId }`');
  });

  it('accepts priorities in range, with literal or computed fairness keys', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: prio
priority: { key: 1, fairnessKey: { cat: [tenant-, { var: input.tenant }] }, fairnessWeight: 2.5 }
steps:
  - id: fetch
    call: core.echo
    priority: { key: 5, fairnessKey: gold }
`,
    }, { checks: [priority] });
    expect(diagnostics).toEqual([]);
  });

  it('leaves a key that is no integer to the schema', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: prio
priority: { key: 2.5 }
steps:
  - id: fetch
    call: core.echo
`,
    });
    expect(positions(diagnostics)).toEqual(['3:18 error schema']);
  });
});
