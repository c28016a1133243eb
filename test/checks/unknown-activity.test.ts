import { describe, expect, it } from 'vitest';
import { unknownActivity } from '../../src/validate/checks/unknown-activity.js';
import { positions, validateSources } from '../helpers.js';

const wf = (call: string) => `revo: 1
name: calls
steps:
  - id: note
    call: ${call}
    with: { message: hi }
`;

describe('unknown-activity', () => {
  it('reports an activity missing from the catalog, with a suggestion', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('core.lgo') }, { checks: [unknownActivity] });
    expect(positions(diagnostics)).toEqual(['5:11 error unknown-activity']);
    expect(diagnostics[0]!.message).toBe('step `note` calls activity `core.lgo`, which is not in the activity catalog; did you mean `core.log`?');
  });

  it('says how to add an activity when nothing is close', async () => {
    const diagnostics = await validateSources({ 'wf.yaml': wf('payments.charge') }, { checks: [unknownActivity] });
    expect(diagnostics[0]!.message).toBe(
      'step `note` calls activity `payments.charge`, which is not in the activity catalog; add its definition with --activities <module> or --catalog <file>',
    );
  });

  it('accepts catalog activities', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf('core.log') }, { checks: [unknownActivity] }))).toEqual([]);
  });
});
