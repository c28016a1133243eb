import { describe, expect, it } from 'vitest';
import { duration } from '../../src/validate/checks/duration.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [duration] };

describe('duration', () => {
  it('reports zero timeouts and a heartbeat that cannot fire', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: timing
defaults:
  timeout: 0s
  heartbeat: 10s
activities:
  core.*: { timeout: 30s, heartbeat: 30s }
steps:
  - id: fetch
    call: core.echo
    heartbeat: 0s
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['4:12 error duration', '7:38 warning duration', '11:16 error duration']);
    expect(diagnostics[0]!.message).toBe(
      '`timeout: 0s` of `defaults` is zero, so every attempt would time out before it starts; give a positive duration or remove it to use the default',
    );
    expect(diagnostics[1]!.message).toBe(
      '`heartbeat` (30s) of `activities.core.*` is not shorter than its `timeout` (30s), so a stalled attempt is never detected by heartbeat; make it shorter than the timeout',
    );
    expect(diagnostics[2]!.message).toContain('`heartbeat: 0s` of step `fetch` is zero');
  });

  it('warns about waits and call timeouts longer than the workflow timeout', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: timing
timeout: 1d
signals:
  approve: {}
steps:
  - id: fetch
    call: core.echo
    timeout: 2d
  - id: await
    wait: { signal: approve, timeout: 7d }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['9:14 warning duration', '11:39 warning duration']);
    expect(diagnostics[1]!.message).toBe(
      '`wait.timeout` of step `await` is 7d, longer than the workflow `timeout` of 1d, so the whole run times out first; shorten it or raise the workflow timeout',
    );
  });

  it('reports a literal sleep that is not a duration', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: timing
steps:
  - id: nap
    sleep: 5 minutes
`,
    }, check);
    // The schema's duration pattern may refuse the string first (then this check does not run).
    const own = diagnostics.find((d) => d.rule === 'duration');
    if (!own) {
      expect(diagnostics.some((d) => d.severity === 'error' && (d.line === 4 || d.line === 5))).toBe(true);
    } else {
      expect(positions(diagnostics)).toEqual(['5:12 error duration']);
      expect(own.message).toBe(
        'step `nap` sleeps for `5 minutes`, which is not a duration; write <integer><unit> parts with units ms, s, m, h, d (e.g. `500ms`, `30s`, `1h30m`, `7d`), or an expression such as `{ var: delay }` that gives one',
      );
    }
  });

  it('reports a duration too large to count', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: timing
timeout: 99999999999999d
steps:
  - id: a
    call: core.echo
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['3:10 error duration']);
    expect(diagnostics[0]!.message).toBe(
      'the workflow `timeout` (`99999999999999d`) is too long to count in milliseconds; use a realistic duration (e.g. `500ms`, `30s`, `1h30m`, `7d`)',
    );
  });

  it('accepts sensible durations and computed sleeps', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: timing
timeout: 7d
defaults: { timeout: 30s, heartbeat: 10s }
signals:
  approve: {}
steps:
  - id: fetch
    call: core.echo
    timeout: 1h30m
  - id: nap
    sleep: { var: input.delay }
  - id: short
    sleep: 500ms
  - id: await
    wait: { signal: approve, timeout: 3d }
`,
    }, check);
    expect(positions(diagnostics)).toEqual([]);
  });
});
