import { describe, expect, it } from 'vitest';
import { unusedSignal } from '../../src/validate/checks/unused-signal.js';
import { positions, validateSources } from '../helpers.js';

const wf = (waited: string) => `revo: 1
name: approval
signals:
  approve: {}
  reject: {}
steps:
  - id: await
    wait: { signal: ${waited} }
  - id: await2
    wait: { signal: reject }
`;

describe('unused-signal', () => {
  it('warns about a declared signal no wait step waits for', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('reject') }, { checks: [unusedSignal] });
    expect(positions(diagnostics)).toEqual(['4:3 warning unused-signal']);
    expect(diagnostics[0]!.message).toBe(
      'signal `approve` is declared but no `wait` step waits for it, so `approve` signals would be buffered and never consumed; add a `wait: { signal: approve }` step or remove the declaration',
    );
  });

  it('accepts signals that are waited for', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf('approve') }, { checks: [unusedSignal] }))).toEqual([]);
  });
});
