#!/usr/bin/env node
/**
 * A tiny demo export API for report-export.yaml: no dependencies, in memory,
 * deterministic. It speaks the job protocol of the workflow's header comment:
 *
 *   POST /exports        {"report":"…","format":"csv"|"parquet"} → 201 {"id":"exp_1","status":"queued",…}
 *   GET  /exports/:id    → the job; every poll moves it on: queued → running → running → succeeded
 *                          (with downloadUrl and rows), so a job finishes on its third poll
 *   GET  /exports/:id/download → the exported rows (CSV; a placeholder for parquet)
 *   DELETE /exports/:id  → cancels a job that has not finished
 *
 * Reports whose name contains `fail` end `failed` (with an `error`); for reports whose
 * name contains `flaky`, the first status poll of each job answers 503, so the
 * workflow's retry policy shows up in the run history.
 *
 *   node definitions/export-api.mjs [--port 8080] [--host 127.0.0.1]
 *
 * Tests start it in-process: `const api = await startExportApi({ port: 0 }); … await api.close()`.
 */
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Polls a job answers as queued/running before it ends (it ends on the next one). */
const POLLS_BEFORE_DONE = 2;

/** A stable row count per report name (FNV-1a), so the same report always has the same size. */
function rowsOf(report) {
  let h = 0x811c9dc5;
  for (let i = 0; i < report.length; i++) {
    h ^= report.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return 100 + ((h >>> 0) % 9900);
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 64 * 1024) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The public view of a job: what GET /exports/:id answers. */
function view(job) {
  const { polls, flakyPending, ...rest } = job;
  return rest;
}

/**
 * Starts the export API. Resolves once it listens, with its base URL (no trailing
 * slash) and a close function. `port: 0` picks a free port.
 *
 * @param {{ port?: number, host?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startExportApi(options = {}) {
  const { port = 8080, host = '127.0.0.1', log = () => {} } = options;
  /** @type {Map<string, any>} */
  const jobs = new Map();
  let nextId = 1;
  let actualPort = port;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    const answer = (status, body, headers) => {
      log(`${req.method} ${url.pathname} → ${status}${body && typeof body === 'object' && body.status ? ` ${body.status}` : ''}`);
      send(res, status, body, headers);
    };
    try {
      if (parts[0] !== 'exports' || parts.length > 3) return answer(404, { error: `no route ${req.method} ${url.pathname}` });

      if (parts.length === 1) {
        if (req.method !== 'POST') return answer(405, { error: 'use POST /exports' }, { allow: 'POST' });
        let body;
        try {
          body = JSON.parse(await readBody(req));
        } catch {
          return answer(400, { error: 'the body must be JSON: {"report":"…","format":"csv"}' });
        }
        const report = body?.report;
        const format = body?.format ?? 'csv';
        if (typeof report !== 'string' || report === '') return answer(400, { error: '`report` must be a non-empty string' });
        if (format !== 'csv' && format !== 'parquet') return answer(400, { error: '`format` must be csv or parquet' });
        const id = `exp_${nextId++}`;
        const job = { id, report, format, status: 'queued', polls: 0, flakyPending: report.includes('flaky') };
        jobs.set(id, job);
        return answer(201, view(job), { location: `/exports/${id}` });
      }

      const job = jobs.get(parts[1]);
      if (!job) return answer(404, { error: `no export ${parts[1]}` });

      if (parts.length === 3) {
        if (parts[2] !== 'download' || req.method !== 'GET') return answer(404, { error: `no route ${req.method} ${url.pathname}` });
        if (job.status !== 'succeeded') return answer(409, { error: `export ${job.id} is ${job.status}` });
        if (job.format === 'parquet') return answer(200, `(parquet file of ${job.rows} rows: a placeholder in this demo)\n`);
        const lines = ['row,report,value'];
        for (let i = 1; i <= Math.min(job.rows, 20); i++) lines.push(`${i},${job.report},${(i * 17) % 101}`);
        return answer(200, `${lines.join('\n')}\n`, { 'content-type': 'text/csv; charset=utf-8' });
      }

      if (req.method === 'DELETE') {
        if (job.status === 'queued' || job.status === 'running') job.status = 'cancelled';
        return answer(200, view(job));
      }
      if (req.method !== 'GET') return answer(405, { error: `use GET or DELETE /exports/${job.id}` }, { allow: 'GET, DELETE' });

      // `flaky` reports: the first status poll of each job fails like an overloaded server.
      if (job.flakyPending) {
        job.flakyPending = false;
        return answer(503, { error: 'export service overloaded, try again' }, { 'retry-after': '1' });
      }
      if (job.status === 'queued' || job.status === 'running') {
        job.polls++;
        if (job.polls <= POLLS_BEFORE_DONE) {
          job.status = 'running';
          job.progress = Math.round((job.polls / (POLLS_BEFORE_DONE + 1)) * 100);
        } else if (job.report.includes('fail')) {
          job.status = 'failed';
          job.error = `query for report "${job.report}" timed out in the warehouse`;
          delete job.progress;
        } else {
          job.status = 'succeeded';
          job.rows = rowsOf(job.report);
          job.downloadUrl = `http://${req.headers.host ?? `localhost:${actualPort}`}/exports/${job.id}/download`;
          delete job.progress;
        }
      }
      return answer(200, view(job));
    } catch (error) {
      return answer(500, { error: String(error?.message ?? error) });
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address === 'object' && address) actualPort = address.port;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.split('=', 2);
    const value = () => inline ?? argv[++i];
    if (name === '--port' || name === '-p') options.port = Number(value());
    else if (name === '--host') options.host = value();
    else if (name === '--help' || name === '-h') options.help = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error('--port must be a number from 0 to 65535');
  return options;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`export-api: ${error.message}\nusage: node definitions/export-api.mjs [--port 8080] [--host 127.0.0.1]\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write('usage: node definitions/export-api.mjs [--port 8080] [--host 127.0.0.1]\nA demo export API for definitions/report-export.yaml; see the comment at the top of this file.\n');
    process.exit(0);
  }
  try {
    const api = await startExportApi({ ...options, log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`) });
    const local = ['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'].includes(options.host);
    process.stdout.write(`Export API listening on ${local ? `http://localhost:${api.port}` : api.url}  (Ctrl-C to stop)\n`);
    const stop = () => api.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (error) {
    const hint = error?.code === 'EADDRINUSE' ? ` (port ${options.port} is taken; try --port 8081 and change baseUrl in the input)` : '';
    process.stderr.write(`export-api: cannot listen on ${options.host}:${options.port}: ${error.message}${hint}\n`);
    process.exit(1);
  }
}
