import { describe, expect, it } from 'vitest';
import { retryPolicy } from '../../src/validate/checks/retry-policy.js';
import { positions, validateSources } from '../helpers.js';

describe('retry-policy', () => {
  it('reports contradictions in defaults, activities and steps', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: retries
defaults:
  retry: { initialInterval: 10s, maxInterval: 5s }
activities:
  core.*:
    retry: { nonRetryable: [Transient], retryOn: [Transient, RateLimited] }
steps:
  - id: fetch
    call: core.echo
    retry:
      initialInterval: 1m
      maxElapsed: 30s
`,
    }, { checks: [retryPolicy] });
    expect(positions(diagnostics)).toEqual(['4:47 error retry-policy', '7:51 error retry-policy', '13:19 warning retry-policy']);
    expect(diagnostics[0]!.message).toBe(
      '`maxInterval` (5s) in the `defaults` retry policy is shorter than `initialInterval` (10s); the interval may only grow up to maxInterval — raise it to at least 10s',
    );
    expect(diagnostics[1]!.message).toBe(
      '`Transient` is listed both in `retryOn` and in `nonRetryable` of the retry policy of `activities.core.*`; it never retries (nonRetryable wins) — remove it from one of the lists',
    );
    expect(diagnostics[2]!.message).toBe(
      '`maxElapsed` (30s) in the retry policy of step `fetch` is shorter than `initialInterval` (1m), so no retry can start before the time runs out; raise maxElapsed or lower initialInterval (e.g. `initialInterval: 15s`)',
    );
  });

  it('reports backoff below 1 and maxAttempts below 1 when the schema lets them through', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: retries
defaults:
  retry: { backoff: 0.5, maxAttempts: 0 }
steps:
  - id: fetch
    call: core.echo
`,
    }, { checks: [retryPolicy] });
    // The schema may already refuse these bounds; then the check does not run and the schema's errors stand on that line.
    const own = diagnostics.filter((d) => d.rule === 'retry-policy');
    if (own.length === 0) {
      expect(diagnostics.some((d) => d.severity === 'error' && d.line === 4)).toBe(true);
    } else {
      expect(positions(own)).toEqual(['4:21 error retry-policy', '4:39 error retry-policy']);
      expect(own[0]!.message).toBe('`backoff: 0.5` in the `defaults` retry policy is less than 1, so intervals would shrink; use 1 for a fixed interval or more (e.g. 2) to back off');
    }
  });

  it('accepts a consistent policy', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: retries
defaults:
  retry: { maxAttempts: 5, initialInterval: 1s, backoff: 2, maxInterval: 1m, maxElapsed: 10m, nonRetryable: [CardDeclined], retryOn: [Transient] }
steps:
  - id: fetch
    call: core.echo
    retry: { maxAttempts: 1 }
`,
    }, { checks: [retryPolicy] });
    expect(positions(diagnostics)).toEqual([]);
  });
});
