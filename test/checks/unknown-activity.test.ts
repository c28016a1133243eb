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

  it('warns about `activities:` options that match no activity', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: calls
activities:
  htp.*: { timeout: 5s }
  core.log: { timeout: 1s }
  core.lg: { timeout: 1s }
steps:
  - id: fetch
    call: http.request
    with: { url: "https://example.com" }
`,
    }, { checks: [unknownActivity] });
    expect(positions(diagnostics)).toEqual(['4:3 warning unknown-activity', '6:3 warning unknown-activity']);
    expect(diagnostics[0]!.message).toBe('`activities.htp.*` matches no activity in the catalog, so these options apply to nothing; did you mean `http.*`?');
    expect(diagnostics[1]!.message).toBe('`activities.core.lg` matches no activity in the catalog, so these options apply to nothing; did you mean `core.log`?');
  });

  it('accepts catalog activities', async () => {
    expect(positions(await validateSources({ 'wf.yaml': wf('core.log') }, { checks: [unknownActivity] }))).toEqual([]);
  });
});
