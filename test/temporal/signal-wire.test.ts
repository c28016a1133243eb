/**
 * `revo signal` to a Temporal run goes over the lean client (src/temporal/wire/: node:http2
 * and a protobufjs/light subset of Temporal's API) and behaves as it did through the SDK:
 * an accepted signal reaches the run; a bad payload is refused synchronously with the
 * workflow's own words; with no worker polling, a plain signal checked here against the
 * definition; an unknown run and an ended run say so; a server away is waited out by
 * TemporalRetry, with its notice, and given up on with TemporalGoneError. The CLI loads
 * neither @temporalio/client, @temporalio/proto nor @grpc/grpc-js for it.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Revo, RunEndedError, SignalRejectedError, TemporalGoneError, UsageError } from '../../src/index.js';
import { connectClient } from '../../src/temporal/connection.js';
import { startRun } from '../../src/temporal/client.js';
import { temporalSettings } from '../../src/temporal/settings.js';
import { testBundle } from '../engine/harness.js';
import { revoAsync, workspace } from '../process-helpers.js';
import { eventually, restartableDevServer, temporalAddress, temporalEnv, type RestartableServer, type TemporalTestEnv } from './harness.js';

const WAITING = `revo: 1
name: wire-approval
signals:
  approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } }
steps:
  - { id: w, wait: { signal: approve, timeout: 5m }, result: approval }
output: { by: { var: approval.by } }
`;

const HOOK = join(import.meta.dirname, '..', 'fixtures', 'record-loaded-modules.mjs');
const HEAVY = /node_modules\/(@temporalio\/client|@temporalio\/proto|@grpc\/grpc-js)\//;

let env: TemporalTestEnv;
const servers: RestartableServer[] = [];
beforeAll(async () => {
  env = await temporalEnv();
});
afterAll(async () => {
  await env?.close();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

/** `revo signal …` as a process, recording the modules it loaded. */
async function revoSignal(args: string[]) {
  const ws = workspace({});
  const loadedFile = join(ws.dir, 'loaded.txt');
  Object.assign(ws.env, { NODE_OPTIONS: `--import ${HOOK}`, REVO_LOADED_MODULES: loadedFile });
  const result = await revoAsync(ws, ['signal', ...args, '--address', temporalAddress()]);
  const loaded = readFileSync(loadedFile, 'utf8').split('\n');
  return { ...result, loaded, heavy: loaded.filter((path) => HEAVY.test(path)) };
}

/** A run of WAITING on `taskQueue` (the env's, where a worker polls, by default), waiting at its step. */
async function waitingRun(taskQueue = env.settings.taskQueue) {
  const handle = await startRun(env.client, { ...env.settings, taskQueue }, { bundle: testBundle(WAITING), input: {}, trigger: { by: 'test', input: {} } });
  if (taskQueue === env.settings.taskQueue) {
    await eventually(async () => (await handle.query<{ currentSteps: string[] }>('state')).currentSteps.includes('w'), 'the run to wait');
  }
  return handle;
}

const signalledPayloads = async (workflowId: string) =>
  ((await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);

describe('revo signal to a Temporal run, over the lean client', () => {
  it('an accepted signal reaches the run, a bad one is refused by the workflow itself, and the SDK is never loaded', async () => {
    const handle = await waitingRun();

    const refused = await revoSignal([handle.workflowId, 'approve', '{"by": 1}']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`revo: run ${handle.workflowId} refuses signal "approve": the payload of signal "approve" does not match its schema: /by must be string; nothing was sent\n`);
    // The refusal came from the Update's validator in the workflow: the client-side check needs the SDK to read the definition.
    expect(refused.heavy).toEqual([]);

    const sent = await revoSignal([handle.workflowId, 'approve', '{"by": "ann"}']);
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.stdout).toBe(`sent signal "approve" to run ${handle.workflowId} on Temporal\n`);
    expect(sent.heavy).toEqual([]);

    await expect(handle.result()).resolves.toEqual({ by: 'ann' });
    // An Update, not a signal event: the refused one left nothing behind.
    expect(await signalledPayloads(handle.workflowId)).toEqual([]);
  });

  it('a null payload reaches the workflow as null, as the SDK sends it', async () => {
    const bundle = testBundle(`revo: 1
name: wire-null
signals:
  poke: {}
steps:
  - { id: w, wait: { signal: poke, timeout: 5m }, result: got }
output: { got: { var: got } }
`);
    const handle = await startRun(env.client, env.settings, { bundle, input: {}, trigger: { by: 'test', input: {} } });
    await eventually(async () => (await handle.query<{ currentSteps: string[] }>('state')).currentSteps.includes('w'), 'the run to wait');
    const sent = await revoSignal([handle.workflowId, 'poke']);
    expect(sent.status, sent.stderr).toBe(0);
    await expect(handle.result()).resolves.toEqual({ got: null });
  });

  it('with no worker polling, sends a plain signal checked here against the definition', async () => {
    const queue = `nobody-${randomUUID()}`;
    const handle = await waitingRun(queue);

    const refused = await revoSignal([handle.workflowId, 'approve', '{"by": 1}']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`revo: run ${handle.workflowId} refuses signal "approve": the payload of signal "approve" does not match its schema: /by must be string; nothing was sent\n`);

    const sent = await revoSignal([handle.workflowId, 'approve', '{"by": "ann"}']);
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.stdout).toBe(`sent signal "approve" to run ${handle.workflowId} on Temporal\n`);
    // The rare path reads the definition through the SDK: the recorder does see the SDK when it loads.
    expect(sent.heavy.some((path) => path.includes('@temporalio/client'))).toBe(true);
    // Temporal keeps it for the worker to come: one signal event, the refused one nowhere.
    expect(await signalledPayloads(handle.workflowId)).toEqual(['approve']);
    const [event] = ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
    const payload = event!.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload.data!).toString())).toEqual({ by: 'ann' });
    await handle.terminate('the test is done with it');
  });

  it('a signal the run has no Update for falls back to the plain path, whose check names what the run declares', async () => {
    const handle = await waitingRun();
    const undeclared = await revoSignal([handle.workflowId, 'reject', '{}']);
    expect(undeclared.status).toBe(2);
    expect(undeclared.stderr).toMatch(new RegExp(`^revo: run ${handle.workflowId} refuses signal "reject": .*approve`));
    expect(await signalledPayloads(handle.workflowId)).toEqual([]);
    await handle.terminate('the test is done with it');
  });

  it('an unknown run and an ended run are refused as before', async () => {
    const unknown = await revoSignal(['no-such-run-anywhere', 'approve']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('revo: no run "no-such-run-anywhere" on Temporal (namespace default), nor a local run by that id; `revo runs` lists them\n');
    expect(unknown.heavy).toEqual([]);

    const handle = await waitingRun();
    await handle.terminate('ended for the test');
    const ended = await revoSignal([handle.workflowId, 'approve', '{"by": "ann"}']);
    expect(ended.status).toBe(2);
    expect(ended.stderr).toBe(`revo: run ${handle.workflowId} has already ended on Temporal (terminated); signal "approve" was not sent (see it with: revo history ${handle.workflowId})\n`);
    expect(ended.heavy).toEqual([]);
  });

  it('Temporal not there at all: the run cannot be asked about, at once', async () => {
    const server = await restartableDevServer();
    const started = Date.now();
    const away = await revoAsync(workspace({}), ['signal', 'some-run', 'approve', '--address', server.address]);
    expect(away.status).toBe(2);
    expect(away.stderr).toMatch(new RegExp(`^revo: no run "some-run" in .*, and Temporal at ${server.address.replace(/\./g, '\\.')} could not be asked about it: nothing answers at that address`));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a server that goes away mid-way is waited out by TemporalRetry, with its notice, and given up on with TemporalGoneError', async () => {
    const server = await restartableDevServer();
    servers.push(server);
    await server.start();
    const settings = temporalSettings({ address: server.address, taskQueue: `nobody-${randomUUID()}` }, {});
    const client = await connectClient(settings);
    const handle = await startRun(client, settings, { bundle: testBundle(WAITING), input: {}, trigger: { by: 'test', input: {} } });
    await client.connection.close();

    const notices: string[] = [];
    const revo = new Revo({ temporal: { address: server.address }, temporalRetry: 60_000, onNotice: (text) => notices.push(text) });
    try {
      const run = await revo.getRun(handle.workflowId);
      await server.kill();
      const signalled = run.signal('approve', { by: 'ann' });
      signalled.catch(() => {}); // awaited below; this keeps a failure before then from going unhandled
      await eventually(async () => notices.some((n) => /Temporal at .* is unreachable; retrying/.test(n)), 'the retry notice', 30_000);
      await server.start();
      await signalled;
      expect(notices.some((n) => /answers again .*carrying on/.test(n))).toBe(true);
    } finally {
      await revo.close();
    }
    const again = await connectClient(settings);
    try {
      const events = (await again.workflow.getHandle(handle.workflowId).fetchHistory()).events ?? [];
      expect(events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'approve')).toHaveLength(1);
    } finally {
      await again.connection.close();
    }

    const givingUp = new Revo({ temporal: { address: server.address }, temporalRetry: 1_500, onNotice: () => {} });
    try {
      const run = await givingUp.getRun(handle.workflowId);
      await server.kill();
      const error = await run.signal('approve', { by: 'bob' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemporalGoneError);
      expect((error as Error).message).toContain(handle.workflowId);
    } finally {
      await givingUp.close();
    }
  });

  it('a run that ends between getRun and the signal is said to have ended, not taken for a fault', async () => {
    const handle = await waitingRun();
    const revo = new Revo({ temporal: { address: temporalAddress() } });
    try {
      const run = await revo.getRun(handle.workflowId);
      await handle.terminate('ended in between');
      // Within a second of getRun, whose description the handle takes: the Update finds the run gone.
      const error = await run.signal('approve', { by: 'ann' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunEndedError);
      expect((error as Error).message).toBe(`run ${handle.workflowId} has already ended on Temporal (terminated); signal "approve" was not sent (see it with: revo history ${handle.workflowId})`);
    } finally {
      await revo.close();
    }
  });

  it('a payload Temporal itself refuses (over its size limit) is a usage error naming the run, not a crash', async () => {
    const handle = await waitingRun();
    const revo = new Revo({ temporal: { address: temporalAddress() } });
    try {
      const run = await revo.getRun(handle.workflowId);
      const error = await run.signal('approve', { by: 'x'.repeat(5 * 1024 * 1024) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(new RegExp(`^Temporal at .* did not take signal "approve" for run ${handle.workflowId}: \\d+ [A-Z_]+: `));
    } finally {
      await revo.close();
    }
    await handle.terminate('the test is done with it');
  });

  it('through the API: the same refusal as a SignalRejectedError', async () => {
    const handle = await waitingRun();
    const revo = new Revo({ temporal: { address: temporalAddress() } });
    try {
      const run = await revo.getRun(handle.workflowId);
      const error = await run.signal('approve', { by: false }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SignalRejectedError);
      await run.signal('approve', { by: 'bob' });
      await expect(run.result()).resolves.toEqual({ by: 'bob' });
    } finally {
      await revo.close();
    }
  });
});
