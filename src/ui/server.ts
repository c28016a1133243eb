/**
 * `revo ui` (docs/ui.md): the execution history view, a local web app over the API. It
 * binds 127.0.0.1 unless told otherwise, serves its page and script from the package
 * (built into dist/ui by scripts/bundle-ui.js: nothing from the network), lists runs and
 * shows a run's record live through server-sent events, and does what the page asks —
 * replay, re-run (from a step), signal, cancel — once guard.ts lets the request through.
 *
 *   GET  /  and  /runs/<id>          the page (with the session's token in a meta tag)
 *   GET  /app.js  /app.css           the page's script and style
 *   GET  /api/runs?<filter>          RunsReply            …/stream: a `runs` event whenever it changes
 *   GET  /api/runs/<id>              RunView              …/stream: a `run` event per change, `end` at the end
 *   GET  /runs/<id>/timeline         the `revo history --html` page of the run
 *   GET  /api/runs/<id>/graph.svg    the definition's graph
 *   POST /api/runs/<id>/replay | rerun | signal | cancel   (token, JSON body)
 *   POST /api/runs/<id>/check-signal  SignalCheckReply: would the run take this payload? (sends nothing)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from '../../interpreter/model.js';
import { pointInTime, type RunFilter } from '../api/list-runs.js';
import type { Revo, RerunOptions } from '../api/revo.js';
import { RunNotFoundError, UsageError } from '../errors.js';
import { historyExport } from '../history/export.js';
import { renderTimelinePage } from '../history/html/page.js';
import { PACKAGE_ROOT } from '../paths.js';
import { signalProblem } from '../sandboxed/signals.js';
import { graphSvg } from './graph-svg.js';
import { guardFor, type Guard } from './guard.js';
import { DEFAULT_UI_PORT, FILTER_PARAMS, type ReplayReply, type RerunReply, type RunsReply, type RunView, type SignalCheckReply } from './protocol.js';
import { runView } from './run-view.js';

export interface UiOptions {
  /** Default 127.0.0.1. Anything else lets other machines read every run (mutations still need the token). */
  host?: string;
  /** Default 4880; 0 picks a free port. */
  port?: number;
  /** How often an open runs list looks for changes (ms). */
  listIntervalMs?: number;
}

export interface UiServer {
  /** Where the page is, e.g. `http://127.0.0.1:4880/`. */
  readonly url: string;
  /** The session's token: the page sends it with every change. */
  readonly token: string;
  /** Stops serving (open streams end); runs this process drives go on until the Revo instance closes. */
  close(): Promise<void>;
}

/** `rerun` with a starting step: `revo rerun --from` (docs/replay.md). */
type RerunFromOptions = RerunOptions & { from?: string };

/** Starts the server; a port in use or an address that cannot be bound is a UsageError. */
export async function startUi(revo: Revo, options: UiOptions = {}): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1';
  const assets = readAssets();
  const streams = new AbortController();
  let guard: Guard | undefined;
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => fail(response, error));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://ui.invalid');
    const mutation = request.method !== 'GET' && request.method !== 'HEAD';
    const refused = guard!.refusal(request, mutation);
    if (refused) return send(response, 403, { error: refused });
    const path = url.pathname.split('/').map((part) => safeDecode(part));
    const [, first, second, id, action] = path;

    if (!mutation) {
      if (url.pathname === '/' || (first === 'runs' && second !== undefined && id === undefined)) return sendText(response, 200, 'text/html; charset=utf-8', page(guard!.token), APP_POLICY);
      if (url.pathname === '/app.js') return sendText(response, 200, 'text/javascript; charset=utf-8', assets.script);
      if (url.pathname === '/favicon.ico') return void response.writeHead(204).end();
      if (url.pathname === '/app.css') return sendText(response, 200, 'text/css; charset=utf-8', assets.style);
      if (first === 'runs' && second !== undefined && id === 'timeline' && action === undefined) {
        const history = await revo.history(second);
        // The page's own policy (inline style and script, nothing loaded) applies too; this one lets the run page frame it.
        return sendText(response, 200, 'text/html; charset=utf-8', renderTimelinePage(historyExport(history.record, history.bundle, history.events)), "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
      }
      if (first === 'api' && second === 'runs') {
        if (id === undefined) return send(response, 200, await runsReply(revo, filterOf(url.searchParams)));
        if (id === 'stream' && action === undefined) return streamRuns(response, filterOf(url.searchParams));
        if (action === undefined) return send(response, 200, runView(await revo.history(id)));
        if (action === 'stream') return streamRun(response, id);
        if (action === 'graph.svg') {
          const history = await revo.history(id);
          return sendText(response, 200, 'image/svg+xml', await graphSvg(history.bundle.hash, history.bundle.definition), "default-src 'none'; style-src 'unsafe-inline'");
        }
      }
      return send(response, 404, { error: `nothing at ${url.pathname}` });
    }

    if (request.method !== 'POST' || first !== 'api' || second !== 'runs' || id === undefined || action === undefined || path.length !== 5) return send(response, 404, { error: `nothing to ${request.method} at ${url.pathname}` });
    const body = await jsonBody(request);
    switch (action) {
      case 'replay': {
        const verdict = await revo.replay(id);
        const reply: ReplayReply = {
          matches: verdict.divergence === undefined && verdict.temporalProblem === undefined,
          ...(verdict.divergence && { divergence: verdict.divergence }),
          ...(verdict.temporalProblem !== undefined && { temporalProblem: verdict.temporalProblem }),
          ...(verdict.definitionFile !== undefined && { definitionFile: verdict.definitionFile }),
          notes: verdict.notes,
        };
        return send(response, 200, reply);
      }
      case 'rerun': {
        const from = optionalText(body, 'from');
        const options: RerunFromOptions = from === undefined ? {} : { from };
        const run = await revo.rerun(id, options);
        return send(response, 200, { runId: run.runId } satisfies RerunReply);
      }
      case 'check-signal': {
        // The page asks before it sends: the same words the run would refuse with, and no script compiled in the browser.
        const name = optionalText(body, 'name');
        if (name === undefined) throw new UsageError('a signal needs a name');
        const problem = signalProblem((await revo.history(id)).bundle.definition, name, (body.payload ?? null) as Json);
        return send(response, 200, (problem === undefined ? {} : { problem }) satisfies SignalCheckReply);
      }
      case 'signal': {
        const name = optionalText(body, 'name');
        if (name === undefined) throw new UsageError('a signal needs a name');
        await (await revo.getRun(id)).signal(name, (body.payload ?? null) as Json);
        return send(response, 200, {});
      }
      case 'cancel': {
        await (await revo.getRun(id)).cancel(optionalText(body, 'reason') ?? 'cancelled from revo ui');
        return send(response, 200, {});
      }
      default:
        return send(response, 404, { error: `no action "${action}" (replay, rerun, signal, check-signal or cancel)` });
    }
  }

  /** A `runs` event now and whenever the list changes, until the page goes away. */
  async function streamRuns(response: ServerResponse, filter: RunFilter): Promise<void> {
    const stream = openStream(response, streams.signal);
    let last = '';
    while (!stream.signal.aborted) {
      const reply = JSON.stringify(await runsReply(revo, filter));
      if (reply !== last) stream.send('runs', reply);
      last = reply;
      await pause(options.listIntervalMs ?? 1000, stream.signal);
    }
  }

  /** A `run` event now and after each change (a burst of events makes one), then `end` once the run has ended. */
  async function streamRun(response: ServerResponse, id: string): Promise<void> {
    // An archived run Temporal no longer has (docs/history.md#retention-and-the-archive) has ended: its view, once.
    const handle = await revo.getRun(id).catch((error: unknown) => {
      if (error instanceof RunNotFoundError && revo.archive.has(id)) return undefined;
      throw error;
    });
    const stream = openStream(response, streams.signal);
    let last = '';
    const refresh = async () => {
      const view = JSON.stringify(runView(await revo.history(id)));
      if (view !== last && !stream.signal.aborted) stream.send('run', view);
      last = view;
    };
    let refreshing: Promise<void> | undefined;
    let again = false;
    const changed = () => {
      if (refreshing) {
        again = true;
        return;
      }
      // A failed read (a journal mid-write) is tried again at the next change, or at the end.
      refreshing = pause(100, stream.signal).then(refresh).catch(() => {}).finally(() => {
        refreshing = undefined;
        if (again) {
          again = false;
          changed();
        }
      });
    };
    try {
      await refresh();
      if (handle) for await (const _event of handle.events({ signal: stream.signal })) changed();
      while (refreshing) await refreshing;
      await refresh();
      stream.send('end', '{}');
    } finally {
      stream.end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port ?? DEFAULT_UI_PORT)));
    server.listen(options.port ?? DEFAULT_UI_PORT, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  guard = guardFor(host, port);
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`,
    token: guard.token,
    close: () => closeServer(server, streams),
  };
}

/** The page loads only its own script and style, talks only to this server, and frames only the timeline. */
const APP_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function page(token: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="revo-token" content="${token}">
<title>Revo runs</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="app"></div>
<script type="module" src="/app.js"></script>
</body>
</html>
`;
}

function readAssets(): { script: string; style: string } {
  const dir = join(PACKAGE_ROOT, 'dist', 'ui');
  try {
    return { script: readFileSync(join(dir, 'app.js'), 'utf8'), style: readFileSync(join(dir, 'app.css'), 'utf8') };
  } catch {
    throw new UsageError(`the page of revo ui is not built (no ${join(dir, 'app.js')}): run \`npm run build\` in the Revo package`);
  }
}

async function runsReply(revo: Revo, filter: RunFilter): Promise<RunsReply> {
  const runs = await revo.listRuns(filter);
  return {
    runs: [...runs],
    ...(runs.more !== undefined && { more: runs.more }),
    ...(runs.temporalUnavailable !== undefined && { temporalUnavailable: runs.temporalUnavailable }),
    ...(runs.skipped !== undefined && { skipped: runs.skipped }),
  };
}

const STATUSES = new Set(['running', 'interrupted', 'completed', 'failed', 'cancelled', 'handed over']);

/** The list's filter from a query string; a value that does not parse is a UsageError (400). */
export function filterOf(params: URLSearchParams): RunFilter {
  const filter: RunFilter = {};
  for (const name of FILTER_PARAMS) {
    const value = params.get(name)?.trim();
    if (value === undefined || value === '') continue;
    switch (name) {
      case 'status':
        if (!STATUSES.has(value)) throw new UsageError(`status must be one of ${[...STATUSES].join(', ')}, not "${value}"`);
        filter.status = value as RunFilter['status'];
        break;
      case 'engine':
        if (value !== 'local' && value !== 'temporal') throw new UsageError(`engine must be local or temporal, not "${value}"`);
        filter.engine = value;
        break;
      case 'since':
      case 'until': {
        const at = pointInTime(value);
        if (at === undefined) throw new UsageError(`${name} must be a duration back from now (30m, 2h, 7d) or a date, not "${value}"`);
        filter[name] = at;
        break;
      }
      case 'limit': {
        const n = Number(value);
        if (!Number.isSafeInteger(n) || n < 1 || n > 1000) throw new UsageError(`limit must be a whole number from 1 to 1000, not "${value}"`);
        filter.limit = n;
        break;
      }
      default:
        filter[name] = value;
    }
  }
  return filter;
}

const MAX_BODY = 1 << 20;

async function jsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new UsageError('send the request body as application/json');
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new UsageError(`the request body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new UsageError('the request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new UsageError('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new UsageError(`${name} must be text`);
  return value;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function send(response: ServerResponse, status: number, body: object): void {
  sendText(response, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, type: string, body: string, policy: string = "default-src 'none'; frame-ancestors 'none'"): void {
  if (response.headersSent) return void response.end();
  response.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': policy,
  });
  response.end(body);
}

/** A refusal the caller can act on is a 4xx with its message; anything else is the server's fault. */
function fail(response: ServerResponse, error: unknown): void {
  if (error instanceof RunNotFoundError) return send(response, 404, { error: error.message });
  if (error instanceof UsageError) return send(response, 400, { error: error.message });
  send(response, 500, { error: `internal error: ${(error as Error)?.message ?? String(error)}` });
}

interface EventStream {
  readonly signal: AbortSignal;
  send(event: string, data: string): void;
  end(): void;
}

function openStream(response: ServerResponse, serverClosing: AbortSignal): EventStream {
  const controller = new AbortController();
  const abort = () => controller.abort();
  serverClosing.addEventListener('abort', abort, { once: true });
  response.on('close', abort);
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
  // A comment now and then keeps idle proxies and the browser from dropping the stream.
  const keepAlive = setInterval(() => response.write(': still here\n\n'), 15_000);
  controller.signal.addEventListener('abort', () => {
    clearInterval(keepAlive);
    serverClosing.removeEventListener('abort', abort);
    response.end();
  }, { once: true });
  return {
    signal: controller.signal,
    send(event, data) {
      if (!controller.signal.aborted) response.write(`event: ${event}\ndata: ${data}\n\n`);
    },
    end: abort,
  };
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new UsageError(`port ${port} on ${host} is in use; choose another with --port (0 picks a free one)`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new UsageError(`cannot listen on ${host}: no such address on this machine`);
  if (error.code === 'EACCES') return new UsageError(`not allowed to listen on port ${port}; choose one above 1023 with --port`);
  return error;
}

async function closeServer(server: Server, streams: AbortController): Promise<void> {
  streams.abort();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
