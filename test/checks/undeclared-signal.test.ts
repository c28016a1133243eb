import { describe, expect, it } from 'vitest';
import { undeclaredSignal } from '../../src/validate/checks/undeclared-signal.js';
import { positions, validateSources } from '../helpers.js';

const wf = (signal: string) => `revo: 1
name: approval
signals:
  approve: { schema: { type: object } }
steps:
  - id: await
    wait: { signal: ${signal}, timeout: 1d }
    result: decision
`;

describe('undeclared-signal', () => {
  it('reports a wait for an undeclared signal, with a suggestion', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('aprove') }, { checks: [undeclaredSignal] });
    expect(positions(diagnostics)).toEqual(['7:21 error undeclared-signal']);
    expect(diagnostics[0]!.message).toBe('step `await` waits for signal `aprove`, which is not declared under `signals:`; did you mean `approve`?');
  });

  it('suggests declaring a signal when nothing is close', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('cancelOrder') }, { checks: [undeclaredSignal] });
    expect(diagnostics[0]!.message).toBe(
      'step `await` waits for signal `cancelOrder`, which is not declared under `signals:`; declare it (e.g. `signals: { cancelOrder: {} }`) so senders and payloads can be checked',
    );
  });

  it('accepts declared signals', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf('approve') }, { checks: [undeclaredSignal] }))).toEqual([]);
  });
});
