import { describe, expect, it } from 'vitest';
import { scheduleInput } from '../../src/validate/checks/schedule-input.js';
import { positions, validateSources } from '../helpers.js';

const wf = (input: string) => `revo: 1
name: nightly
input:
  type: object
  required: [region]
  additionalProperties: false
  properties:
    region: { type: string }
    full: { type: boolean }
schedule:
  cron: "0 3 * * *"
  input: ${input}
steps:
  - id: a
    call: core.echo
`;

describe('schedule-input', () => {
  it('reports a schedule input that the input schema refuses', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('{ full: yes, regoin: eu }') }, { checks: [scheduleInput] });
    expect(positions(diagnostics)).toEqual(['12:3 error schedule-input', '12:18 error schedule-input', '12:23 error schedule-input']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "`schedule.input` is missing property `region`, which the workflow's `input` schema requires, so every scheduled run would fail with InvalidInput",
      '`schedule.input.full` (the string "yes") must be boolean, as the workflow\'s `input` schema requires; every scheduled run would fail with InvalidInput',
      "`schedule.input` has property `regoin`, which the workflow's `input` schema does not allow, so every scheduled run would fail with InvalidInput",
    ]);
  });

  it('reports a schedule without input when the input schema requires properties', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('{ region: eu }').replace('  input: { region: eu }\n', '') }, { checks: [scheduleInput] });
    expect(positions(diagnostics)).toEqual(['10:1 error schedule-input']);
    expect(diagnostics[0]!.message).toBe(
      "`schedule` gives no `input`, but the workflow's `input` schema requires `region`, so every scheduled run would fail with InvalidInput; add `schedule.input: { region: … }`",
    );
  });

  it('accepts a schedule input that fits', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf('{ region: eu, full: true }') }, { checks: [scheduleInput] }))).toEqual([]);
  });
});
