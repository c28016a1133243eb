/**
 * The Go activity worker of test/fixtures/go-worker (docs/dsl.md#routing): built once per
 * version of its sources into ~/.cache/revo/go-worker/<hash>/ (go-build.ts, as the
 * Temporal CLI is), then run against the shared dev server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findGo, goBuildIntoCache, revoCacheDir } from '../../src/temporal/go-build.js';

export const GO_WORKER_DIR = join(import.meta.dirname, '..', 'fixtures', 'go-worker');
/** The queue it serves `go.quote` on, as its catalog.json says. */
export const GO_TASK_QUEUE = 'revo-go-test';
const SOURCES = ['go.mod', 'go.sum', 'main.go'];

/** The worker binary, built first when its sources changed (minutes the first time: the SDK is downloaded). */
export async function buildGoWorker(log: (line: string) => void): Promise<string> {
  const hash = createHash('sha256');
  for (const file of SOURCES) hash.update(file).update('\0').update(readFileSync(join(GO_WORKER_DIR, file))).update('\0');
  const go = await findGo();
  if (!go) throw new Error('the routing test needs Go (https://go.dev/dl/) to build its Go activity worker; none is on PATH or in /usr/local/go');
  return goBuildIntoCache(go, {
    what: 'the Go test activity worker',
    dir: revoCacheDir(process.env, 'go-worker', hash.digest('hex').slice(0, 16)),
    binary: 'go-worker',
    args: (outDir) => ['build', '-o', join(outDir, 'go-worker'), '.'],
    cwd: GO_WORKER_DIR,
    // The go.mod's Go version is the one on this machine: never fetch another toolchain.
    extraEnv: { GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false' },
    log,
  });
}

/** Starts the worker on `address`; resolves once it polls its queue. */
export async function startGoWorker(binary: string, address: string): Promise<ChildProcess> {
  const child = spawn(binary, [], { env: { ...process.env, TEMPORAL_ADDRESS: address, TASK_QUEUE: GO_TASK_QUEUE }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Go worker did not start polling within 30 s; its output:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(`go worker polling ${GO_TASK_QUEUE}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Go worker exited (${code}) before polling; its output:\n${output}`));
    });
  });
  return child;
}
