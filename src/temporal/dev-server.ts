/**
 * A real Temporal server for tests and local use: `temporal server start-dev` from the CLI
 * that findTemporalCli finds or builds, or, failing that, the SDK's downloaded dev server.
 */
import { devServerSearchAttributeFlags } from './search-attributes.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from './cli-binary.js';
import { freePort } from './reachable.js';

export interface DevServerOptions {
  /** Frontend gRPC port; a free one when not given. */
  port?: number;
  /** Web UI port; implies `ui`. A free one when the UI is on and no port is given. */
  uiPort?: number;
  /** SQLite file that keeps state across restarts; in memory when not given. */
  dbFile?: string;
  /** Created at start as well as `default`. */
  namespace?: string;
  /** Progress lines (a first-time build of the CLI takes minutes). */
  log?: (line: string) => void;
  /** Serve the Web UI; off unless `uiPort` is given. */
  ui?: boolean;
}

export interface DevServer {
  /** `host:port` of the frontend gRPC service. */
  address: string;
  namespace: string;
  uiUrl?: string;
  /** The temporal CLI binary that runs the server; undefined when the SDK's download does. */
  cli?: string;
  stop(): Promise<void>;
  /** Stops it at once, as a crash would (SIGKILL): tests of a server that goes away. */
  kill(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 250;
const STOP_GRACE_MS = 5_000;
const OUTPUT_TAIL_LINES = 30;
const HOST = '127.0.0.1';

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? (() => {});
  const cli = await findTemporalCli({ build: true, log });
  if (cli) return startCliDevServer(cli, options);
  log("no temporal CLI found or built: falling back to the Temporal SDK's downloaded dev server (needs internet)");
  try {
    return await startSdkDevServer(options);
  } catch (error) {
    throw new Error(
      'no Temporal dev server: no temporal CLI in TEMPORAL_CLI, on PATH or in the cache, no Go to build one, ' +
        `and the SDK's download failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

async function startCliDevServer(cli: string, options: DevServerOptions): Promise<DevServer> {
  // A port we picked can be taken by someone else before the server binds it: pick again.
  const attempts = options.port === undefined && options.uiPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCliDevServerOnce(cli, options);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startCliDevServerOnce(cli: string, options: DevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const uiPort = wantsUi(options) ? (options.uiPort ?? (await freePort())) : undefined;
  const args = [
    ...['server', 'start-dev', '--ip', HOST, '--port', String(port)],
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
    ...(namespace === 'default' ? [] : ['--namespace', namespace]),
    ...['--log-level', 'warn'],
    // Revo's search attributes, so runs can be found by workflow, version, hash and error type.
    ...devServerSearchAttributeFlags(),
  ];
  const address = `${HOST}:${port}`;
  const server = new ServerProcess(cli, args);

  const failure = await Promise.race([
    waitUntilAnswering(address, namespace, () => server.running).then(() => undefined, (error: Error) => error.message),
    server.exited.then((how) => `exited (${how}) before it was ready`),
  ]);
  if (failure !== undefined) {
    await server.stop();
    const message = `the Temporal dev server (${cli} ${args.join(' ')}) ${failure}; its last output:\n${server.outputTail()}`;
    throw /address already in use/i.test(server.outputTail()) ? new PortTakenError(message) : new Error(message);
  }
  return {
    address,
    namespace,
    ...(uiPort === undefined ? {} : { uiUrl: `http://${HOST}:${uiPort}` }),
    cli,
    stop: () => server.stop(),
    kill: () => server.kill(),
  };
}

function wantsUi(options: DevServerOptions): boolean {
  return options.ui ?? options.uiPort !== undefined;
}

/** The CLI's process: its output tail kept for error messages, killed when Node exits. */
class ServerProcess {
  readonly exited: Promise<string>;
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private alive = true;
  // Tests that die without their teardown must not leave a server behind.
  private readonly killOnExit = (): void => void this.child.kill('SIGKILL');

  constructor(binary: string, args: string[]) {
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      // Always drained: a full pipe would block the server.
      stream?.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk));
    }
    this.exited = new Promise<string>((resolve) => {
      this.child.on('error', (error) => resolve(error.message));
      this.child.on('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : `exit code ${code}`));
    }).finally(() => {
      this.alive = false;
      process.off('exit', this.killOnExit);
    });
    process.on('exit', this.killOnExit);
  }

  get running(): boolean {
    return this.alive;
  }

  outputTail(): string {
    return this.lines.join('\n') || '(no output)';
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private keep(chunk: string): void {
    this.lines.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    this.lines.splice(0, this.lines.length - OUTPUT_TAIL_LINES);
  }
}

/** Resolves once the frontend answers a real request for the namespace, not just a TCP connect. */
async function waitUntilAnswering(address: string, namespace: string, serverRunning: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer';
  while (Date.now() < deadline && serverRunning()) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace });
      return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    } finally {
      await connection?.close().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(`did not answer at ${address} within ${READY_TIMEOUT_MS / 1000} s (last error: ${lastError})`);
}

/** The SDK's dev server: the same CLI, downloaded by the SDK at run time. */
async function startSdkDevServer(options: DevServerOptions): Promise<DevServer> {
  // Imported only here: it loads the SDK's native core bridge.
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const namespace = options.namespace ?? 'default';
  const uiPort = wantsUi(options) ? (options.uiPort ?? (await freePort())) : undefined;
  const environment = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: HOST,
      namespace,
      log: { format: 'pretty', level: 'warn' },
      ui: uiPort !== undefined,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(uiPort === undefined ? {} : { uiPort }),
      ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
    },
  });
  return {
    address: environment.address,
    namespace,
    ...(uiPort === undefined ? {} : { uiUrl: `http://${HOST}:${uiPort}` }),
    stop: () => environment.teardown(),
    kill: () => environment.teardown(),
  };
}

