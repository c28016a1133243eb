/**
 * OpenTelemetry tracing (docs/temporal.md#tracing), for real: `revo worker` and a local
 * `revo run` export over OTLP/HTTP (configured by OTEL_* only) to a receiver in this
 * process, and the spans form the documented tree on both engines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runOutcome, startRun } from '../../src/temporal/client.js';
import { connectClient, temporalSettings } from '../../src/temporal/connection.js';
import { testBundle } from '../engine/harness.js';
import { until, workspace } from '../process-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const address = inject('temporalAddress');

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
  error: boolean;
}

/** A tiny OTLP/HTTP trace receiver (the JSON encoding, which the OTLP/HTTP exporter sends). */
let receiver: Server;
let endpoint: string;
const spans: ReceivedSpan[] = [];
beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces' && request.headers['content-type']?.startsWith('application/json')) {
        type Value = { stringValue?: string; intValue?: string | number; boolValue?: boolean };
        const data = JSON.parse(body) as {
          resourceSpans: { resource: { attributes: { key: string; value: Value }[] }; scopeSpans: { spans: (Omit<ReceivedSpan, 'attributes' | 'service' | 'error'> & { attributes: { key: string; value: Value }[]; status?: { code?: number } })[] }[] }[];
        };
        for (const resourceSpans of data.resourceSpans) {
          const service = resourceSpans.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const scope of resourceSpans.scopeSpans) {
            for (const span of scope.spans) {
              const attributes = Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue ?? (a.value.intValue !== undefined ? Number(a.value.intValue) : a.value.boolValue)]));
              spans.push({ traceId: span.traceId, spanId: span.spanId, ...(span.parentSpanId && { parentSpanId: span.parentSpanId }), name: span.name, service, attributes, error: span.status?.code === 2 });
            }
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  receiver.close();
});

const ACTIVITIES = `export const slow = { name: 'test.slow', input: true, output: true, async run() { await new Promise((r) => setTimeout(r, 20)); return { ok: true }; } };
export const flaky = { name: 'test.flaky', input: true, output: true, async run(input, context) { if (context.attempt < 2) throw Object.assign(new Error('not yet'), { type: 'Flaky' }); return { attempt: context.attempt }; } };
`;
const workflow = (name: string) => `revo: 1
name: ${name}
defaults: { retry: { initialInterval: 100ms } }
steps:
  - { id: first, call: test.slow }
  - id: guarded
    try:
      - { id: retried, call: test.flaky }
    catch:
      - steps:
          - { id: never, call: test.slow }
`;

/** The names from a span up to its trace's root. */
function ancestry(span: ReceivedSpan): string[] {
  const names = [span.name];
  for (let at = span; at.parentSpanId; ) {
    const parent = spans.find((s) => s.spanId === at.parentSpanId && s.traceId === at.traceId);
    if (!parent) return [...names, `(missing ${at.parentSpanId})`];
    names.push(parent.name);
    at = parent;
  }
  return names;
}
const revoOnly = (names: string[]) => names.filter((n) => n.startsWith('revo.'));
const ofRun = (runId: string) => spans.filter((s) => s.attributes['revo.run_id'] === runId || (s.name === 'revo.step' && spans.some((r) => r.name === 'revo.run' && r.attributes['revo.run_id'] === runId && r.traceId === s.traceId)));

const OTEL = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'revo-test' });

describe('tracing over OTLP', () => {
  it('revo worker: RunWorkflow → revo.run → revo.step → StartActivity → RunActivity → revo.activity, one revo.activity per attempt', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES });
    const taskQueue = `tracing-${Date.now()}`;
    const child = spawn(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', address, '--task-queue', taskQueue], { cwd: ws.dir, env: { ...ws.env, ...OTEL() } });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => stderr.includes('worker ready'), `the worker (stderr: ${stderr})`, 30_000);

    const settings = temporalSettings({ address, taskQueue }, {});
    const client = await connectClient(settings);
    const handle = await startRun(client, settings, { bundle: testBundle(workflow('traced-temporal'), { validate: false }), input: null, trigger: { by: 'test', input: null } });
    expect((await runOutcome(handle)).status).toBe('completed');
    child.kill('SIGTERM');
    expect(await exited).toBe(0); // and the last spans were flushed on the way out
    await client.connection.close();

    const run = spans.find((s) => s.name === 'revo.run' && s.attributes['revo.run_id'] === handle.workflowId);
    expect(run, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(run!.service).toBe('revo-test');
    expect(run!.attributes).toMatchObject({ 'revo.workflow': 'traced-temporal', 'revo.engine': 'temporal' });
    const trace = spans.filter((s) => s.traceId === run!.traceId);
    const step = (id: string) => trace.find((s) => s.name === 'revo.step' && s.attributes['revo.step.id'] === id)!;
    expect(ancestry(run!)).toEqual(['revo.run', 'RunWorkflow:revo']);
    expect(ancestry(step('guarded'))).toEqual(['revo.step', 'revo.run', 'RunWorkflow:revo']);
    // A step inside another has the enclosing step's span for parent.
    expect(ancestry(step('retried'))).toEqual(['revo.step', 'revo.step', 'revo.run', 'RunWorkflow:revo']);
    const attempts = trace.filter((s) => s.name === 'revo.activity' && s.attributes['revo.step.id'] === 'retried');
    expect(attempts.map((s) => [s.attributes['revo.attempt'], s.error]).sort()).toEqual([[1, true], [2, false]]);
    for (const attempt of attempts) {
      expect(ancestry(attempt)).toEqual(['revo.activity', 'RunActivity:test.flaky', 'StartActivity:test.flaky', 'revo.step', 'revo.step', 'revo.run', 'RunWorkflow:revo']);
    }
    expect(step('retried').attributes).toMatchObject({ 'revo.step.kind': 'call', 'revo.activity': 'test.flaky', 'revo.attempts': 2 });
    const first = trace.find((s) => s.name === 'revo.activity' && s.attributes['revo.step.id'] === 'first')!;
    expect(ancestry(first)).toEqual(['revo.activity', 'RunActivity:test.slow', 'StartActivity:test.slow', 'revo.step', 'revo.run', 'RunWorkflow:revo']);
    // The catch did not run: no span for it.
    expect(trace.some((s) => s.attributes['revo.step.id'] === 'never')).toBe(false);
  });

  it('revo run --engine temporal: the trace starts at the client, StartWorkflow:revo, and the worker continues it', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'traced.yaml': workflow('traced-client') });
    const taskQueue = `tracing-client-${Date.now()}`;
    const env = { ...ws.env, ...OTEL() };
    const worker = spawn(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', address, '--task-queue', taskQueue], { cwd: ws.dir, env });
    children.push(worker);
    let stderr = '';
    worker.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    await until(() => stderr.includes('worker ready'), `the worker (stderr: ${stderr})`, 30_000);
    const run = spawn(process.execPath, [BIN, 'run', 'traced.yaml', '--engine', 'temporal', '--activities', 'activities.mjs', '--address', address, '--task-queue', taskQueue], { cwd: ws.dir, env });
    children.push(run);
    let runErr = '';
    run.stderr!.on('data', (chunk: Buffer) => (runErr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code))), runErr).toBe(0);
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    const root = spans.find((s) => s.name === 'revo.run' && s.attributes['revo.workflow'] === 'traced-client');
    expect(root, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(ancestry(root!)).toEqual(['revo.run', 'RunWorkflow:revo', 'StartWorkflow:revo']);
  });

  it('the local engine emits the same Revo spans in the same tree', async () => {
    const ws = workspace({ 'activities.mjs': ACTIVITIES, 'traced.yaml': workflow('traced-local') });
    const child = spawn(process.execPath, [BIN, 'run', 'traced.yaml', '--activities', 'activities.mjs'], { cwd: ws.dir, env: { ...ws.env, ...OTEL() } });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))), stderr).toBe(0);
    // Exported before the process exited.
    const run = spans.find((s) => s.name === 'revo.run' && s.attributes['revo.workflow'] === 'traced-local');
    expect(run, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(run!.attributes['revo.engine']).toBe('local');
    expect(run!.parentSpanId).toBeUndefined();
    const trace = spans.filter((s) => s.traceId === run!.traceId);
    const step = (id: string) => trace.find((s) => s.name === 'revo.step' && s.attributes['revo.step.id'] === id)!;
    expect(ancestry(step('retried'))).toEqual(['revo.step', 'revo.step', 'revo.run']);
    const attempts = trace.filter((s) => s.name === 'revo.activity' && s.attributes['revo.step.id'] === 'retried');
    expect(attempts.map((s) => [s.attributes['revo.attempt'], s.error]).sort()).toEqual([[1, true], [2, false]]);
    for (const attempt of attempts) expect(ancestry(attempt)).toEqual(['revo.activity', 'revo.step', 'revo.step', 'revo.run']);
    expect(ancestry(trace.find((s) => s.name === 'revo.activity' && s.attributes['revo.step.id'] === 'first')!)).toEqual(['revo.activity', 'revo.step', 'revo.run']);
    // The same Revo spans as on Temporal, by name and nesting.
    const temporal = spans.find((s) => s.name === 'revo.run' && s.attributes['revo.workflow'] === 'traced-temporal');
    if (temporal) {
      const shape = (traceId: string) => spans.filter((s) => s.traceId === traceId && s.name.startsWith('revo.')).map((s) => revoOnly(ancestry(s)).join('<')).sort();
      expect(shape(run!.traceId)).toEqual(shape(temporal.traceId));
    }
  });
});
