import { describe, expect, it } from 'vitest';
import { cron } from '../../src/validate/checks/cron.js';
import { positions, validateSources } from '../helpers.js';

const wf = (schedule: string) => `revo: 1
name: nightly
schedule:
  ${schedule}
  input: { full: true }
steps:
  - id: a
    call: core.echo
`;

describe('cron', () => {
  it('reports a cron expression the parser rejects, saying why', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('cron: "61 3 * * *"') }, { checks: [cron] });
    expect(positions(diagnostics)).toEqual(['4:9 error cron']);
    expect(diagnostics[0]!.message).toBe(
      '`61 3 * * *` is not a valid cron expression: Constraint error, got value 61 expected range 0-59; write five fields `minute hour day-of-month month day-of-week`, ' +
        'e.g. `0 3 * * *` (every day at 03:00 UTC), or one of @yearly, @monthly, @weekly, @daily, @hourly, optionally after a time zone (`CRON_TZ=Europe/Paris 0 3 * * *`)',
    );
  });

  it('reports a wrong number of fields', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('cron: "0 3 * *"') }, { checks: [cron] });
    expect(positions(diagnostics)).toEqual(['4:9 error cron']);
    expect(diagnostics[0]!.message).toContain('is not a valid cron expression: it has 4 fields, not 5;');
  });

  it('reports an unknown time zone', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('cron: "CRON_TZ=Mars/Olympus 0 3 * * *"') }, { checks: [cron] });
    expect(positions(diagnostics)).toEqual(['4:9 error cron']);
    expect(diagnostics[0]!.message).toContain('is not a valid cron expression: `Mars/Olympus` is not an IANA time zone');
  });

  it('reports a zero interval', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('every: 0m') }, { checks: [cron] });
    expect(positions(diagnostics)).toEqual(['4:10 error cron']);
    expect(diagnostics[0]!.message).toBe('`every: 0m` is zero, so the schedule would never advance; give a positive interval such as `1h`');
  });

  it('accepts valid schedules', async () => {
    for (const schedule of ['cron: "0 3 * * 1-5"', 'cron: "@daily"', 'cron: "CRON_TZ=Europe/Paris 30 8 * * mon-fri"', 'every: 1h']) {
      expect(positions(await validateSources({ 'wf.yaml': wf(schedule) }, { checks: [cron] }))).toEqual([]);
    }
  });
});
