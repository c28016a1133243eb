/**
 * docs/api.md's example, run as a user would: the HTTP service in docs/examples/api/
 * (it imports only from 'revo'), started with node + tsx, driven over HTTP.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../process-helpers.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'docs', 'examples', 'api');
let base = '';
let stop: () => void = () => {};

beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'revo-example-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(EXAMPLE, 'service.ts')], { cwd: EXAMPLE, env: { ...process.env, PORT: '0', REVO_HOME: join(home, '.revo') } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  stop = () => child.kill('SIGTERM');
  await until(() => /on (http:\S+)/.test(out) || child.exitCode !== null, 'the service to listen', 30_000);
  if (child.exitCode !== null) throw new Error(`the example service exited: ${err}`);
  base = /on (http:\S+)/.exec(out)![1]!;
});
afterAll(() => stop());

const call = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${base}${path}`, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the example service of docs/api.md', () => {
  it('starts a run per request, refuses a bad approval, takes a good one and serves the result', async () => {
    const started = await call('POST', '/orders', { sku: 'A-1', quantity: 2 });
    expect(started).toMatchObject({ status: 201, body: { engine: 'local' } });
    const runId = started.body.runId as string;
    let state = await call('GET', `/orders/${runId}`);
    for (let i = 0; i < 100 && state.body.total === undefined; i++) state = await call('GET', `/orders/${runId}`);
    expect(state.body).toMatchObject({ status: 'running', total: 25 });

    const refused = await call('POST', `/orders/${runId}/approve`, { by: 'ann' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/does not match its schema/);
    expect((await call('POST', `/orders/${runId}/approve`, { by: 'ann', approved: true })).status).toBe(202);

    let done = await call('GET', `/orders/${runId}`);
    for (let i = 0; i < 100 && done.body.status === 'running'; i++) done = await call('GET', `/orders/${runId}`);
    expect(done.body).toEqual({ runId, status: 'completed', output: { total: 25, approvedBy: 'ann' } });
  });

  it('maps the API errors to HTTP: bad input 400, unknown run 404, a refused order is its DSL error', async () => {
    expect((await call('POST', '/orders', { sku: 'A-1', quantity: 0 })).status).toBe(400);
    expect((await call('GET', '/orders/order-approval-nope')).status).toBe(404);
    const started = await call('POST', '/orders', { sku: 'B-2', quantity: 1 });
    const runId = started.body.runId as string;
    await call('POST', `/orders/${runId}/approve`, { by: 'bob', approved: false });
    let done = await call('GET', `/orders/${runId}`);
    for (let i = 0; i < 100 && done.body.status === 'running'; i++) done = await call('GET', `/orders/${runId}`);
    expect(done.body).toMatchObject({ status: 'failed', error: { type: 'Refused', message: 'refused by bob', step: 'refused' } });
    const listed = await call('GET', '/orders');
    expect((listed.body as unknown as { runId: string }[]).map((r) => r.runId)).toContain(runId);
  });
});
