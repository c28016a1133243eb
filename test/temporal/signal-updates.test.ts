/**
 * Declared signals are also Temporal Updates whose validator is the run's own signal
 * check: any sender (here the `temporal` CLI, and Revo's API) gets a bad payload refused
 * synchronously by the workflow, and an accepted update returns once the payload is in
 * the run's inbox. Plain signals keep working.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Revo, SignalRejectedError } from '../../src/index.js';
import { startRun } from '../../src/temporal/client.js';
import { testBundle } from '../engine/harness.js';
import { eventually, temporalAddress, temporalCli, temporalEnv, type TemporalTestEnv } from './harness.js';

const WAITING = `revo: 1
name: update-approval
signals:
  approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } }
steps:
  - { id: w, wait: { signal: approve, timeout: 1m }, result: approval }
  - { id: again, wait: { signal: approve, timeout: 1m }, result: second }
output: { first: { var: approval.by }, second: { var: second.by } }
`;

let env: TemporalTestEnv;
beforeAll(async () => {
  env = await temporalEnv();
});
afterAll(async () => {
  await env?.close();
});

/** `temporal workflow update execute`, without blocking this process: the worker runs in it. */
const update = (workflowId: string, input: string) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(temporalCli(), ['workflow', 'update', 'execute', '--address', temporalAddress(), '--workflow-id', workflowId, '--name', 'approve', '--input', input], (error, stdout, stderr) =>
      resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('signals as Temporal Updates', () => {
  it('the run refuses a bad payload to any sender and takes a good one, returning once it is in the inbox', async () => {
    const bundle = testBundle(WAITING);
    const handle = await startRun(env.client, env.settings, { bundle, input: {}, trigger: { by: 'test', input: {} } });
    await eventually(async () => ((await handle.query<{ currentSteps: string[] }>('state')).currentSteps.includes('w')), 'the run to wait');

    const refused = await update(handle.workflowId, '{"by": 1}');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/the payload of signal .*approve.* does not match its schema: \/by must be string/);

    const accepted = await update(handle.workflowId, '{"by": "ann"}');
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/"?seq"?:\s*1/);

    // Through the API: the same refusal, from the workflow; then a good one.
    const revo = new Revo({ temporal: { address: temporalAddress(), taskQueue: env.settings.taskQueue } });
    try {
      const run = await revo.getRun(handle.workflowId);
      const error = await run.signal('approve', { by: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignalRejectedError);
      expect((error as SignalRejectedError).reason).toMatch(/does not match its schema/);
      await run.signal('approve', { by: 'bob' });
      await expect(run.result()).resolves.toEqual({ first: 'ann', second: 'bob' });
      // A refused update changes nothing in the run: no rejected signal is recorded.
      const record = await run.record();
      expect(record.rejectedSignals).toEqual([]);
      expect(record.signals.map((s) => s.payload)).toEqual([{ by: 'ann' }, { by: 'bob' }]);
    } finally {
      await revo.close();
    }
  });
});
