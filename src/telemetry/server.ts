/**
 * The worker's telemetry endpoint (docs/temporal.md#metrics): `/metrics` in Prometheus
 * text, `/healthz` (the process is up) and `/readyz` (the worker polls; 503 while it
 * starts or drains), so probes and scrapers share one address.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { formatListenAddress, type ListenAddress } from './address.js';

export interface TelemetryServerOptions {
  address: ListenAddress;
  /** The worker's state in a word, and whether it polls. */
  readiness(): { ready: boolean; state: string };
  /** The whole `/metrics` text. */
  metrics(): Promise<string>;
}

export interface TelemetryServer {
  /** Where it listens, with the port it got. */
  readonly address: string;
  close(): Promise<void>;
}

export async function startTelemetryServer(options: TelemetryServerOptions): Promise<TelemetryServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'only GET\n');
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') {
      const { ready, state } = options.readiness();
      return reply(ready ? 200 : 503, `${state}\n`);
    }
    if (path === '/metrics') {
      options.metrics().then(
        (text) => reply(200, text, 'text/plain; version=0.0.4; charset=utf-8'),
        (error: Error) => reply(500, `metrics unavailable: ${error.message}\n`),
      );
      return;
    }
    reply(404, 'not found: try /metrics, /healthz or /readyz\n');
  });
  await listen(server, options.address);
  const bound = server.address() as AddressInfo;
  return {
    address: formatListenAddress({ host: bound.address, port: bound.port }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, address: ListenAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = formatListenAddress(address);
      if (error.code === 'EADDRINUSE') reject(new UsageError(`cannot serve metrics on ${where}: the address is in use; pick another with --metrics (docs/temporal.md#metrics)`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') reject(new UsageError(`cannot serve metrics on ${where}: no such address on this machine (${error.code})`));
      else if (error.code === 'EACCES') reject(new UsageError(`cannot serve metrics on ${where}: permission denied (ports below 1024 need privileges)`));
      else reject(new UsageError(`cannot serve metrics on ${where}: ${error.message}`));
    });
    server.listen(address.port, address.host, () => resolve());
  });
}
