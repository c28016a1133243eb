/**
 * Revo runs read in DSL terms in Temporal's own tools: search attributes (RevoWorkflow,
 * RevoVersion, RevoHash, and RevoErrorType once a run fails), the run's static summary,
 * and each activity's summary naming its step — checked through the real `temporal` CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fails, testActivity } from '../engine/harness.js';
import { ACTIVITIES, until, workspace } from '../process-helpers.js';
import { eventually, temporalAddress, temporalCli, temporalEnv, type TemporalTestEnv } from './harness.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const declined = testActivity('pay.charge', { otherwise: fails('PaymentDeclined', { nonRetryable: true }) });
let env: TemporalTestEnv;
beforeAll(async () => {
  env = await temporalEnv([declined]);
});
afterAll(async () => {
  await env?.close();
});

interface Described {
  executionConfig: { userMetadata: { summary: string } };
  workflowExecutionInfo: { searchAttributes: { indexedFields: Record<string, { data: string }> } };
}

const temporal = (args: string[]) => {
  const result = spawnSync(temporalCli(), [...args, '--address', temporalAddress()], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`temporal ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
};

describe('Temporal visibility', () => {
  it('a run carries its workflow, version and hash as search attributes, its error type once it fails, and summaries in DSL terms', async () => {
    const name = `visible-${Date.now()}`;
    const { record, handle } = await env.run(`revo: 1\nname: ${name}\nversion: "1.4.0"\nsteps:\n  - { id: charge, call: pay.charge, with: 1 }\n`);
    expect(record.error).toMatchObject({ type: 'PaymentDeclined' });
    const described = JSON.parse(temporal(['workflow', 'describe', '--workflow-id', handle.workflowId, '--output', 'json'])) as Described;
    expect(described.executionConfig.userMetadata.summary).toBe(`${name} 1.4.0`);
    const attributes = described.workflowExecutionInfo.searchAttributes.indexedFields;
    const value = (key: string) => JSON.parse(Buffer.from(attributes[key]!.data, 'base64').toString('utf8')) as unknown;
    expect(value('RevoWorkflow')).toBe(name);
    expect(value('RevoVersion')).toBe('1.4.0');
    expect(value('RevoHash')).toBe(record.hash);
    expect(value('RevoErrorType')).toBe('PaymentDeclined');
    // Found by a visibility query in Temporal's own terms.
    const listed = await eventually(async () => {
      const out = temporal(['workflow', 'list', '--query', `RevoWorkflow="${name}" AND RevoErrorType="PaymentDeclined"`, '--output', 'json']);
      return out.includes(handle.workflowId) && out;
    }, 'the run in a RevoWorkflow/RevoErrorType query');
    expect(listed).toContain(handle.workflowId);
    expect(temporal(['workflow', 'list', '--query', `RevoWorkflow="${name}" AND RevoErrorType="Other"`, '--output', 'json'])).not.toContain(handle.workflowId);
    // The activity's summary names its step.
    const events = (JSON.parse(temporal(['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json'])) as { events: { eventType: string; userMetadata?: { summary?: { data: string } } }[] }).events;
    const scheduled = events.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(scheduled.map((e) => JSON.parse(Buffer.from(e.userMetadata!.summary!.data, 'base64').toString('utf8')) as string)).toEqual(['step charge']);
  });

  it('revo worker registers the missing search attributes on its namespace', async () => {
    const namespace = `ns-${Date.now()}`;
    temporal(['operator', 'namespace', 'create', '--namespace', namespace]);
    await eventually(async () => temporal(['operator', 'namespace', 'describe', '--namespace', namespace]).includes(namespace), 'the namespace');
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    const child = spawn(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', temporalAddress(), '--namespace', namespace, '--task-queue', 'vis'], { cwd: ws.dir, env: ws.env });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await until(() => stderr.includes('worker ready'), `the worker (stderr: ${stderr})`, 30_000);
      expect(stderr).toContain(`registered the search attributes RevoWorkflow, RevoVersion, RevoHash, RevoErrorType on namespace ${namespace}`);
      const attributes = temporal(['operator', 'search-attribute', 'list', '--namespace', namespace]);
      for (const name of ['RevoWorkflow', 'RevoVersion', 'RevoHash', 'RevoErrorType']) expect(attributes).toContain(name);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('revo runs lists local and Temporal runs together, newest first, with filters', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'hello.yaml': `revo: 1\nname: listed-local\nsteps:\n  - { id: a, call: test.effect, with: { step: a } }\n` });
    expect(ws.revo(['run', 'hello.yaml', '--activities', 'activities.mjs']).status).toBe(0);
    const name = `listed-${Date.now()}`;
    const { handle } = await env.run(`revo: 1\nname: ${name}\nsteps:\n  - { id: charge, call: pay.charge, with: 1 }\n`);
    const flags = ['--address', temporalAddress(), '--json', '--limit', '200'];
    type Row = { runId: string; workflow: string; engine: string; status: string; errorType?: string };
    const list = (extra: string[]) => {
      const result = ws.revo(['runs', ...flags, ...extra]);
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Row[];
    };
    const all = await eventually(async () => {
      const rows = list([]);
      return rows.some((r) => r.runId === handle.workflowId) && rows;
    }, 'the Temporal run in revo runs');
    expect(all.find((r) => r.workflow === 'listed-local')).toMatchObject({ engine: 'local', status: 'completed' });
    expect(all.find((r) => r.runId === handle.workflowId)).toMatchObject({ workflow: name, engine: 'temporal', status: 'failed', errorType: 'PaymentDeclined' });
    expect(list(['--engine', 'local']).map((r) => r.engine)).toEqual(['local']);
    expect(list(['--engine', 'temporal']).every((r) => r.engine === 'temporal')).toBe(true);
    expect(list(['--error-type', 'PaymentDeclined', '--search', name]).map((r) => r.runId)).toEqual([handle.workflowId]);
    expect(list(['--since', '1h', '--workflow', 'listed-local'])).toHaveLength(1);
    expect(list(['--until', '2000-01-01'])).toEqual([]);
    const bad = ws.revo(['runs', '--since', 'yesterday-ish']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/duration back from now/);
  });
});
