/**
 * docs/dsl.md#routing and #priority on a real dev server: a YAML workflow calls an
 * activity that a Go worker (test/fixtures/go-worker) serves on its own task queue, its
 * input and output checked against the catalog entry; and the priorities a definition,
 * its steps and `revo start --priority` give reach Temporal's history events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../process-helpers.js';
import { buildGoWorker, GO_TASK_QUEUE, GO_WORKER_DIR, startGoWorker } from './go-worker.js';
import { eventually, temporalAddress, temporalEnv, type TemporalTestEnv } from './harness.js';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const CATALOG = join(GO_WORKER_DIR, 'catalog.json');
const address = temporalAddress();
let env: TemporalTestEnv;
let goWorker: ChildProcess | undefined;

beforeAll(async () => {
  const binary = await buildGoWorker((line) => console.error(`[go-worker] ${line}`));
  goWorker = await startGoWorker(binary, address);
  env = await temporalEnv();
}, 15 * 60_000); // a cold build downloads the Go SDK and compiles it: minutes

afterAll(async () => {
  goWorker?.kill('SIGTERM');
  await env?.close();
});

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `revo <args…>` in a workspace of `files`, against the shared server and the env's worker
 * on its queue. Not spawnSync: the env's worker runs in this process and must go on polling.
 */
function revoOnTemporal(files: Record<string, string>, args: string[], dir = workspace(files).dir): Promise<Ran> {
  const child = spawn(process.execPath, [BIN, ...args, '--address', address, '--task-queue', env.settings.taskQueue], { cwd: dir, env: { ...process.env, NO_COLOR: '1', REVO_HOME: join(dir, '.revo') } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

async function history(workflowId: string): Promise<HistoryEvent[]> {
  return (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

const QUOTE = `revo: 1
name: quote-order
input:
  type: object
  properties: { item: { type: string }, quantity: { type: integer } }
steps:
  - id: quote
    call: go.quote
    taskQueue: ${GO_TASK_QUEUE}
    with: { item: { var: input.item }, quantity: { var: input.quantity } }
    result: quote
  - id: note
    call: core.echo
    with: { message: { cat: [quoted, " ", { var: quote.totalCents }] } }
    result: note
output: { quote: { var: quote }, note: { var: note.message } }
`;

describe('routing to a Go worker', () => {
  it('a YAML workflow calls the Go activity on its task queue and gets its output', async () => {
    const result = await revoOnTemporal({ 'quote.yaml': QUOTE }, ['run', 'quote.yaml', '--engine', 'temporal', '--catalog', CATALOG, '--json', '-i', '{"item":"widget","quantity":3}']);
    expect(result.stderr).not.toContain('error');
    expect(result.status).toBe(0);
    const record = JSON.parse(result.stdout);
    expect(record.output).toEqual({ quote: { item: 'WIDGET', totalCents: 750, quotedBy: 'go' }, note: 'quoted 750' });
    // Scheduled on the Go worker's queue; the next call on the run's own.
    const scheduled = (await history(record.workflowId)).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    expect(scheduled.map((a) => [a.activityType?.name, a.taskQueue?.name])).toEqual([
      ['go.quote', GO_TASK_QUEUE],
      ['core.echo', env.settings.taskQueue],
    ]);
  });

  it('routes by the catalog entry alone, and checks the input against it before scheduling', async () => {
    const unrouted = QUOTE.replace(`    taskQueue: ${GO_TASK_QUEUE}\n`, '');
    const run = (input: string) => revoOnTemporal({ 'quote.yaml': unrouted }, ['run', 'quote.yaml', '--engine', 'temporal', '--catalog', CATALOG, '--json', '-i', input]);
    const ok = JSON.parse((await run('{"item":"bolt","quantity":2}')).stdout);
    expect(ok.output.quote).toEqual({ item: 'BOLT', totalCents: 500, quotedBy: 'go' });

    const refused = await run('{"item":"bolt","quantity":0}');
    expect(refused.status).toBe(1);
    const record = JSON.parse(refused.stdout);
    expect(record.error).toMatchObject({ type: 'InvalidInput', step: 'quote' });
    expect(record.error.message).toContain('input of activity "go.quote" in step "quote"');
    expect((await history(record.workflowId)).some((e) => e.activityTaskScheduledEventAttributes)).toBe(false);
  });

  it('checks the Go activity’s output against the catalog entry', async () => {
    const strict = workspace({ 'quote.yaml': QUOTE });
    const catalog = JSON.parse(readFileSync(CATALOG, 'utf8'));
    catalog.activities[0].output.properties.totalCents.maximum = 100;
    writeFileSync(join(strict.dir, 'strict.json'), JSON.stringify(catalog));
    const result = await revoOnTemporal({}, ['run', 'quote.yaml', '--engine', 'temporal', '--catalog', 'strict.json', '--json', '-i', '{"item":"widget","quantity":3}'], strict.dir);
    expect(result.status).toBe(1);
    const record = JSON.parse(result.stdout);
    expect(record.error).toMatchObject({ type: 'InvalidOutput', step: 'quote' });
    expect(record.error.message).toContain('output of activity "go.quote" in step "quote"');
  });

  it('says at start when no worker polls a queue the calls are routed to', async () => {
    const nobody = QUOTE.replace(`taskQueue: ${GO_TASK_QUEUE}`, 'taskQueue: nobody-polls-this');
    const started = await revoOnTemporal({ 'quote.yaml': nobody }, ['start', 'quote.yaml', '--catalog', CATALOG, '-i', '{"item":"bolt","quantity":2}']);
    expect(started.status).toBe(0);
    expect(started.stderr).toContain('no worker polls task queue "nobody-polls-this" yet, where the run\'s calls of go.quote go; they wait until one does');
    await env.client.workflow.getHandle(started.stdout.trim()).terminate('the test is done with it');
  });

  it('a cancelled run does not wait for an external activity that cannot hear of it', async () => {
    const stall = `revo: 1
name: stall
steps:
  - id: stall
    call: go.stall
    with: { seconds: 20 }
    timeout: 1m
`;
    const started = await revoOnTemporal({ 'stall.yaml': stall }, ['start', 'stall.yaml', '--catalog', CATALOG]);
    expect(started.stderr).toBe('');
    const handle = env.client.workflow.getHandle(started.stdout.trim());
    // A started attempt is written to the history only when it ends: ask for the pending activity instead.
    const { PendingActivityState } = (await import('@temporalio/proto')).temporal.api.enums.v1;
    await eventually(
      async () => (await handle.describe()).raw.pendingActivities?.some((a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED),
      'the Go activity to start',
    );
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    const types = (await history(handle.workflowId)).map((e) => e.eventType);
    const { EventType } = (await import('@temporalio/proto')).temporal.api.enums.v1;
    // Asked to stop, and the run ended cancelled there and then: the activity, still sleeping, completes nothing in this history.
    expect(types).toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
    expect(types.at(-1)).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
    expect(types).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  });

  it('validation warns of a queue named nowhere in the catalog', () => {
    const typo = QUOTE.replace(`taskQueue: ${GO_TASK_QUEUE}`, 'taskQueue: revo-go-tset');
    const result = workspace({ 'quote.yaml': typo }).revo(['validate', 'quote.yaml', '--catalog', CATALOG]);
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toContain('task queue `revo-go-tset` is named nowhere in the activity catalog');
  });
});

const TENANT = `revo: 1
name: tenant-work
input: { type: object, properties: { tenant: { type: string } } }
priority: { key: 4, fairnessKey: { var: input.tenant }, fairnessWeight: 2 }
steps:
  - id: urgent
    call: core.echo
    with: { message: now }
    priority: { key: 1, fairnessKey: { cat: [vip-, { var: input.tenant }] } }
  - id: plain
    call: core.echo
    with: { message: later }
  - id: sub
    child: { workflow: tenant-child, input: { tenant: { var: input.tenant } } }
    priority: { key: 2 }
`;
const TENANT_CHILD = `revo: 1
name: tenant-child
input: { type: object, properties: { tenant: { type: string } } }
priority: { fairnessKey: { cat: [child-, { var: input.tenant }] } }
steps:
  - id: hello
    call: core.echo
    with: { message: hi }
`;

describe('priority and fairness', () => {
  it('reach the run, its activities and its child as Temporal priorities; --priority overrides the definition’s key', async () => {
    const started = await revoOnTemporal({ 'tenant.yaml': TENANT, 'tenant-child.yaml': TENANT_CHILD }, ['start', 'tenant.yaml', '--priority', '3', '-i', '{"tenant":"acme"}']);
    expect(started.stderr).toBe('');
    const workflowId = started.stdout.trim();
    await env.client.workflow.getHandle(workflowId).result();
    const events = await history(workflowId);

    const run = events[0]!.workflowExecutionStartedEventAttributes!.priority;
    expect(run).toMatchObject({ priorityKey: 3, fairnessKey: 'acme', fairnessWeight: 2 });
    const activities = events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
    expect(activities.map((a) => a.activityType?.name)).toEqual(['core.echo', 'core.echo']);
    expect(activities[0]!.priority).toMatchObject({ priorityKey: 1, fairnessKey: 'vip-acme' });
    // A step that sets nothing leaves its activity to inherit the run's priority (Temporal's rule): no fields of its own.
    expect(activities[1]!.priority?.priorityKey ?? 0).toBe(0);
    expect(activities[1]!.priority?.fairnessKey ?? '').toBe('');

    const child = events.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)!.startChildWorkflowExecutionInitiatedEventAttributes!;
    expect(child.priority).toMatchObject({ priorityKey: 2, fairnessKey: 'child-acme' });
    const childStarted = (await history(child.workflowId!))[0]!.workflowExecutionStartedEventAttributes!.priority;
    expect(childStarted).toMatchObject({ priorityKey: 2, fairnessKey: 'child-acme' });
  });

  it('--fairness-key overrides the definition’s fairness key and leaves its other fields', async () => {
    const started = await revoOnTemporal({ 'tenant.yaml': TENANT, 'tenant-child.yaml': TENANT_CHILD }, ['start', 'tenant.yaml', '--fairness-key', 'batch', '-i', '{"tenant":"acme"}']);
    expect(started.stderr).toBe('');
    const workflowId = started.stdout.trim();
    await env.client.workflow.getHandle(workflowId).result();
    expect((await history(workflowId))[0]!.workflowExecutionStartedEventAttributes!.priority).toMatchObject({ priorityKey: 4, fairnessKey: 'batch', fairnessWeight: 2 });
  });

  it('refuses a --priority out of range as a usage error, before anything starts', async () => {
    const result = await revoOnTemporal({ 'tenant.yaml': TENANT, 'tenant-child.yaml': TENANT_CHILD }, ['start', 'tenant.yaml', '--priority', '7', '-i', '{"tenant":"acme"}']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('a priority key is 1 (runs first) to 5 (runs last), not "7"');
  });
});
