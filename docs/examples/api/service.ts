/**
 * A small HTTP service over Revo's API: one run per request, signals and queries by id.
 *
 *   POST /orders              {"sku":"A-1","quantity":2}      → 201 {"runId": …}
 *   POST /orders/:id/approve  {"by":"ann","approved":true}     → 202, or 400 when refused
 *   GET  /orders/:id                                           → the run's state, or its result
 *   GET  /orders                                               → the runs, newest first
 *
 * REVO_ENGINE=temporal runs the workflow on Temporal (start `worker.ts` next to it);
 * the default is the local engine, journaled under REVO_HOME.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { InvalidInputError, Revo, RunFailedError, RunNotFoundError, SignalRejectedError, type EngineChoice } from 'revo';
import { price } from './activities.js';

const revo = new Revo({
  engine: (process.env.REVO_ENGINE as EngineChoice | undefined) ?? 'local',
  activities: [price],
  temporal: { address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233', taskQueue: process.env.REVO_TASK_QUEUE ?? 'orders' },
});
// Loaded and validated once, at start-up: a broken file stops the service here, with its diagnostics.
const workflow = await revo.load(fileURLToPath(new URL('./flows/order-approval.yaml', import.meta.url)));

async function handle(request: IncomingMessage): Promise<[status: number, body: unknown]> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const [, resource, id, action] = url.pathname.split('/');
  if (resource !== 'orders') return [404, { error: 'not found' }];
  if (request.method === 'POST' && !id) {
    const run = await revo.start(workflow, { input: await json(request), trigger: 'http' });
    return [201, { runId: run.runId, engine: run.engine }];
  }
  if (request.method === 'POST' && id && action === 'approve') {
    const run = await revo.getRun(id);
    await run.signal('approve', await json(request));
    return [202, { runId: run.runId }];
  }
  if (request.method === 'GET' && id) {
    const run = await revo.getRun(id);
    const state = (await run.query()) as { status: string };
    if (state.status === 'running') return [200, { runId: id, status: 'running', total: await run.query('total') }];
    return [200, { runId: id, status: state.status, output: await run.result() }];
  }
  if (request.method === 'GET') return [200, await revo.listRuns({ workflow: workflow.name })];
  return [405, { error: 'method not allowed' }];
}

/** Revo's errors are classes: each maps to an HTTP status. */
function failure(error: unknown): [number, unknown] {
  if (error instanceof InvalidInputError || error instanceof SignalRejectedError) return [400, { error: error.message }];
  if (error instanceof RunNotFoundError) return [404, { error: error.message }];
  if (error instanceof RunFailedError) return [200, { status: error.status, error: error.error }];
  return [500, { error: (error as Error).message }];
}

async function json(request: IncomingMessage): Promise<never> {
  let text = '';
  for await (const chunk of request) text += chunk;
  try {
    return JSON.parse(text || 'null') as never;
  } catch {
    throw new InvalidInputError('the request body is not JSON');
  }
}

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  handle(request).catch(failure).then(([status, body]) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  console.log(`orders service on http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}`);
});
// On shutdown, local runs in flight stay resumable (revo.resume, or `revo resume <runId>`).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.close(() => void revo.close()));
