/**
 * `revo dev` as a user runs it: a server with its Web UI and a worker that runs a
 * workflow; Ctrl-C stops both and exits 0; the SQLite file keeps the run for next time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { temporalCli as requiredCli } from './harness.js';
import { freePort } from '../process-helpers.js';
import { bundleWorkflow } from '../../src/load/bundle-workflow.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { specOf } from '../../src/activities/catalog.js';
import { runOutcome, startRun } from '../../src/temporal/client.js';
import { temporalSettings } from '../../src/temporal/connection.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const temporalCli = requiredCli();

const WORKFLOW = `revo: 1
name: dev-hello
steps:
  - { id: greet, call: core.echo, with: { greeting: hello }, result: greeting }
output: { var: greeting }
`;

interface DevProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout: () => string;
  stderr: () => string;
}

async function startDev(cwd: string, args: string[]): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, 'dev', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', TEMPORAL_CLI: temporalCli } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
  const deadline = Date.now() + 90_000;
  while (!/revo dev: ready/.test(stdout)) {
    if (exitCode !== undefined) throw new Error(`revo dev exited (${exitCode}) before it was ready:\n${stderr}`);
    if (Date.now() > deadline) throw new Error(`revo dev was not ready within 90 s:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('revo dev', () => {
  it('serves Temporal and its UI with a worker, stops on Ctrl-C with exit 0, and keeps runs in its database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revo-dev-'));
    writeFileSync(join(dir, 'hello.yaml'), WORKFLOW);
    const [port, uiPort] = [await freePort(), await freePort()];
    const dbFile = join(dir, 'state', 'temporal.db');
    const args = ['--port', String(port), '--ui-port', String(uiPort), '--db-file', dbFile, '--task-queue', 'dev-test'];

    const dev = await startDev(dir, args);
    const address = `127.0.0.1:${port}`;
    expect(dev.stdout()).toContain(`Temporal server  ${address}`);
    expect(dev.stdout()).toContain(`Web UI           http://127.0.0.1:${uiPort}`);
    expect(dev.stdout()).toContain('task queue dev-test');
    expect(dev.stdout()).toContain(`revo run <file.yaml> --engine temporal --address ${address} --task-queue dev-test`);
    expect((await fetch(`http://127.0.0.1:${uiPort}/`)).status).toBe(200);

    const settings = temporalSettings({ address, taskQueue: 'dev-test' }, {});
    let connection = await Connection.connect({ address });
    const bundle = await bundleWorkflow(join(dir, 'hello.yaml'), new Map(BUILTIN_ACTIVITIES.map((d) => [d.name, specOf(d)])));
    const handle = await startRun(new Client({ connection }), settings, { bundle, input: {}, trigger: { by: 'cli', input: {} } });
    expect(await runOutcome(handle)).toEqual({ status: 'completed', output: { greeting: 'hello' } });
    await connection.close();

    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    expect(dev.stderr()).toContain('revo dev: stopped');

    // Started again on the same file: the run is still there.
    const again = await startDev(dir, args);
    connection = await Connection.connect({ address });
    const described = await new Client({ connection }).workflow.getHandle(handle.workflowId).describe();
    expect(described.status.name).toBe('COMPLETED');
    await connection.close();
    again.child.kill('SIGINT');
    expect(await again.exited).toBe(0);
  });

  it('refuses a port that is taken, as a usage error', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const child = spawn(process.execPath, [BIN, 'dev', '--port', String(port), '--in-memory'], { env: { ...process.env, TEMPORAL_CLI: temporalCli } });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toBe(`revo: --port ${port}: the port is taken (another \`revo dev\` or Temporal server?)\n`);
    } finally {
      taken.close();
    }
  });
});
