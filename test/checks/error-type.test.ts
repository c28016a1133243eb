import { describe, expect, it } from 'vitest';
import { errorType } from '../../src/validate/checks/error-type.js';
import { positions, validateSources } from '../helpers.js';

describe('error-type', () => {
  it('warns about error types one typo away from a standard or raised type', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: errors
defaults:
  retry: { retryOn: [Transient, RateLimitd] }
steps:
  - id: guarded
    try:
      - id: fetch
        call: core.echo
      - id: refuse
        fail: { type: OutOfStock }
    catch:
      - errors: [Timout, OutOfStok, CardDeclined]
        steps:
          - id: handle
            call: core.echo
`,
    }, { checks: [errorType] });
    expect(positions(diagnostics)).toEqual(['4:33 warning error-type', '13:18 warning error-type', '13:26 warning error-type']);
    expect(diagnostics[1]!.message).toBe(
      'error type `Timout` in a `catch` of step `guarded` is not a standard type nor raised by a `fail` step here; did you mean `Timeout`? (error types are matched exactly, so a misspelt one never matches)',
    );
    expect(diagnostics[2]!.message).toContain('did you mean `OutOfStock`?');
  });

  it('accepts standard and custom types', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: errors
steps:
  - id: guarded
    try:
      - id: fetch
        call: core.echo
        retry: { nonRetryable: [CardDeclined], retryOn: [Transient, Timeout] }
    catch:
      - errors: [NotFound, PaymentRefused]
        steps:
          - id: handle
            call: core.echo
`,
    }, { checks: [errorType] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
