/**
 * Finding the `temporal` CLI, which runs Temporal's dev server — and, once per machine,
 * building it from source with Go, because our machines cannot download release binaries.
 * POSIX only (Linux, macOS).
 */
import { spawn } from 'node:child_process';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The one CLI version we build and cache (later tags carry a `replace` directive `go install` refuses). */
export const TEMPORAL_CLI_VERSION = '1.5.1';

const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
// As the CLI's own release build: no debug info (a quarter of a gigabyte otherwise), and a real version.
const LD_FLAGS = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;
const HEARTBEAT_MS = 60_000;
const LOCK_POLL_MS = 1_000;

export interface FindTemporalCliOptions {
  /** When no binary is found, build one with Go (minutes, first time only). */
  build?: boolean;
  /** Progress lines for a human (the build takes long enough to need them). */
  log?: (line: string) => void;
  /** Where TEMPORAL_CLI, PATH, XDG_CACHE_HOME, HOME and GOROOT are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The `temporal` binary to use, first match wins: `$TEMPORAL_CLI`, `temporal` on PATH, the
 * Revo cache, a fresh build into the cache (with `build`, when Go is installed). Undefined
 * when there is none: callers may then fall back to the SDK's download, which needs internet.
 */
export async function findTemporalCli(options: FindTemporalCliOptions = {}): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});

  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv) {
    if (await isExecutableFile(fromEnv)) return fromEnv;
    throw new Error(
      `TEMPORAL_CLI is set to ${fromEnv}, which is not an executable file; point it at a temporal CLI binary or unset it`,
    );
  }

  const onPath = await findOnPath('temporal', env);
  if (onPath) return onPath;

  const cached = temporalCliCachePath(env);
  if (await isExecutableFile(cached)) return cached;

  if (!options.build) return undefined;
  const go = await findGo(env);
  if (!go) {
    log('no temporal CLI found (TEMPORAL_CLI, PATH, cache) and no Go toolchain to build one');
    return undefined;
  }
  return buildIntoCache(go, env, log);
}

/** `${XDG_CACHE_HOME or ~/.cache}/revo/temporal-cli/v<version>`: outside git, shared by every clone. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'revo', 'temporal-cli', `v${TEMPORAL_CLI_VERSION}`);
}

export function temporalCliCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(temporalCliCacheDir(env), 'temporal');
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutableFile(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/** `go` on PATH, else where GOROOT or the official installer put it (often not on a non-login PATH). */
async function findGo(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const onPath = await findOnPath('go', env);
  if (onPath) return onPath;
  const candidates = [...(env.GOROOT ? [join(env.GOROOT, 'bin', 'go')] : []), '/usr/local/go/bin/go'];
  for (const candidate of candidates) if (await isExecutableFile(candidate)) return candidate;
  return undefined;
}

/**
 * Builds the CLI into a temp dir inside the cache and renames it into place, so a killed
 * build never leaves a half-written binary behind. A lock file keeps concurrent processes
 * (vitest workers, two terminals) from building twice; if the lock is ever lost to a race,
 * both builds still end in an atomic rename of identical binaries, so it only costs time.
 */
async function buildIntoCache(go: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  const dir = temporalCliCacheDir(env);
  const target = temporalCliCachePath(env);
  await mkdir(dir, { recursive: true });

  const release = await acquireBuildLock(join(dir, 'build.lock'), target, log);
  if (!release) return target; // another process built it while we waited
  try {
    if (await isExecutableFile(target)) return target;
    await removeAbandonedBuilds(dir);
    const buildDir = await mkdtemp(join(dir, '.build-'));
    try {
      await runGoInstall(go, buildDir, join(dir, 'build.log'), env, log);
      await rename(join(buildDir, 'temporal'), target);
    } finally {
      await rm(buildDir, { recursive: true, force: true });
    }
    log(`built the Temporal CLI: ${target}`);
    return target;
  } finally {
    await release();
  }
}

/**
 * Takes the lock, or waits while a live process holds it. Resolves to a release function,
 * or to undefined when the binary appeared while waiting (nothing left to do).
 */
async function acquireBuildLock(
  lockPath: string,
  target: string,
  log: (line: string) => void,
): Promise<(() => Promise<void>) | undefined> {
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await lockHolder(lockPath);
    if (holder === 'dead') {
      await rm(lockPath, { force: true }); // left by a killed build
      continue;
    }
    if (await isExecutableFile(target)) return undefined;
    if (!announced) {
      log(`another process${typeof holder === 'number' ? ` (pid ${holder})` : ''} is building the Temporal CLI; waiting for it…`);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

/** The pid in the lock file, 'dead' if that process is gone, 'unknown' while it is still being written. */
async function lockHolder(lockPath: string): Promise<number | 'dead' | 'unknown'> {
  const text = await readFile(lockPath, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid)) {
    // Empty for a moment between create and write; empty for long means its writer died.
    const ageMs = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
    return ageMs > 10_000 ? 'dead' : 'unknown';
  }
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : 'dead';
  }
}

/** Temp dirs of builds that were killed; safe to delete because we hold the lock. */
async function removeAbandonedBuilds(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith('.build-')) await rm(join(dir, name), { recursive: true, force: true });
  }
}

async function runGoInstall(
  go: string,
  binDir: string,
  logFile: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  log('building the Temporal CLI from source with Go, first time only, takes a few minutes…');
  log(`  ${go} install ${CLI_PACKAGE}@v${TEMPORAL_CLI_VERSION} (output in ${logFile})`);
  const started = Date.now();
  const output = createWriteStream(logFile);
  const child = spawn(go, ['install', `-ldflags=${LD_FLAGS}`, `${CLI_PACKAGE}@v${TEMPORAL_CLI_VERSION}`], {
    env: { ...env, GOBIN: binDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  const heartbeat = setInterval(
    () => log(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)…`),
    HEARTBEAT_MS,
  );
  const exitCode = await new Promise<number | string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code, signal) => resolve(code ?? `killed by ${signal}`));
  }).finally(() => clearInterval(heartbeat));
  await new Promise<void>((resolve) => output.end(resolve));

  if (exitCode !== 0) {
    const tail = (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-20).join('\n');
    throw new Error(
      `building the Temporal CLI failed (${typeof exitCode === 'number' ? `exit code ${exitCode}` : exitCode}); ` +
        `the end of ${logFile}:\n${tail}\nSet TEMPORAL_CLI to an existing temporal binary to skip the build.`,
    );
  }
  log(`  built in ${Math.round((Date.now() - started) / 1000)} s`);
}
