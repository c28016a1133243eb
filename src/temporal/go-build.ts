/**
 * Building a Go program once per machine into Revo's cache, with progress for a human:
 * the Temporal CLI (cli-binary.ts) and the Go activity worker of the routing test. POSIX only.
 */
import { spawn } from 'node:child_process';
import { constants, createWriteStream } from 'node:fs';
import { access, mkdir, mkdtemp, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

const HEARTBEAT_MS = 60_000;
const LOCK_POLL_MS = 1_000;

export interface GoBuild {
  /** For messages: `the Temporal CLI`. */
  what: string;
  /** The cache dir the binary lands in (with `build.log` and, while building, `build.lock`). */
  dir: string;
  /** The binary's file name, in `dir`, and in the temp dir the build writes to. */
  binary: string;
  /** `go` arguments, given the temp dir to write the binary to (also passed as GOBIN). */
  args(outDir: string): string[];
  /** The working directory of `go` (a module's dir for `go build`). */
  cwd?: string;
  /** What `go` runs with; process.env by default. Extra variables go over it. */
  env?: NodeJS.ProcessEnv;
  extraEnv?: NodeJS.ProcessEnv;
  /** Said after the end of the log when the build fails: what to do instead. */
  hint?: string;
  log?: (line: string) => void;
}

/** `${XDG_CACHE_HOME or ~/.cache}/revo/<parts…>`: outside git, shared by every clone. */
export function revoCacheDir(env: NodeJS.ProcessEnv, ...parts: string[]): string {
  const cacheHome = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(cacheHome, 'revo', ...parts);
}

export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && (await isExecutableFile(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/** `go` on PATH, else where GOROOT or the official installer put it (often not on a non-login PATH). */
export async function findGo(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const onPath = await findOnPath('go', env);
  if (onPath) return onPath;
  const candidates = [...(env.GOROOT ? [join(env.GOROOT, 'bin', 'go')] : []), '/usr/local/go/bin/go'];
  for (const candidate of candidates) if (await isExecutableFile(candidate)) return candidate;
  return undefined;
}

/**
 * The cached binary, built first if it is not there. The build writes into a temp dir
 * inside the cache and renames the binary into place, so a killed build never leaves a
 * half-written binary behind. A lock file keeps concurrent processes (vitest workers, two
 * terminals) from building twice; if the lock is ever lost to a race, both builds still
 * end in an atomic rename of identical binaries, so it only costs time.
 */
export async function goBuildIntoCache(go: string, build: GoBuild): Promise<string> {
  const log = build.log ?? (() => {});
  const target = join(build.dir, build.binary);
  if (await isExecutableFile(target)) return target;
  await mkdir(build.dir, { recursive: true });

  const release = await acquireBuildLock(join(build.dir, 'build.lock'), target, build.what, log);
  if (!release) return target; // another process built it while we waited
  try {
    if (await isExecutableFile(target)) return target;
    await removeAbandonedBuilds(build.dir);
    const outDir = await mkdtemp(join(build.dir, '.build-'));
    try {
      await runGo(go, outDir, build, log);
      await rename(join(outDir, build.binary), target);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
    log(`built ${build.what}: ${target}`);
    return target;
  } finally {
    await release();
  }
}

/**
 * Takes the lock, or waits while a live process holds it. Resolves to a release function,
 * or to undefined when the binary appeared while waiting (nothing left to do).
 */
async function acquireBuildLock(lockPath: string, target: string, what: string, log: (line: string) => void): Promise<(() => Promise<void>) | undefined> {
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
      log(`another process${typeof holder === 'number' ? ` (pid ${holder})` : ''} is building ${what}; waiting for it…`);
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

async function runGo(go: string, outDir: string, build: GoBuild, log: (line: string) => void): Promise<void> {
  const logFile = join(build.dir, 'build.log');
  const args = build.args(outDir);
  log(`building ${build.what} from source with Go, first time only, takes a few minutes…`);
  log(`  ${go} ${args.filter((arg) => !arg.startsWith('-ldflags')).join(' ')} (output in ${logFile})`);
  const started = Date.now();
  const output = createWriteStream(logFile);
  const child = spawn(go, args, {
    env: { ...(build.env ?? process.env), ...build.extraEnv, GOBIN: outDir },
    ...(build.cwd !== undefined && { cwd: build.cwd }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(output, { end: false });
  child.stderr.pipe(output, { end: false });
  const heartbeat = setInterval(() => log(`  still building ${build.what} (${Math.round((Date.now() - started) / 1000)} s)…`), HEARTBEAT_MS);
  const exitCode = await new Promise<number | string>((resolve) => {
    child.on('error', (error) => resolve(error.message));
    child.on('close', (code, signal) => resolve(code ?? `killed by ${signal}`));
  }).finally(() => clearInterval(heartbeat));
  await new Promise<void>((resolve) => output.end(resolve));

  if (exitCode !== 0) {
    const tail = (await readFile(logFile, 'utf8')).trimEnd().split('\n').slice(-20).join('\n');
    throw new Error(
      `building ${build.what} failed (${typeof exitCode === 'number' ? `exit code ${exitCode}` : exitCode}); ` +
        `the end of ${logFile}:\n${tail}${build.hint ? `\n${build.hint}` : ''}`,
    );
  }
  log(`  built in ${Math.round((Date.now() - started) / 1000)} s`);
}
