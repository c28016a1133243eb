/** findTemporalCli's search order and its build into the cache, with fake executables in temp dirs. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalCli, temporalCliCacheDir, temporalCliCachePath } from '../src/temporal/cli-binary.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'revo-cli-binary-'));
}

function script(path: string, body: string, mode = 0o755): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

/** An environment that sees only the given PATH dirs and an empty cache of its own. */
function isolatedEnv(pathDirs: string[], extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: pathDirs.join(':'), XDG_CACHE_HOME: tempDir(), HOME: tempDir(), ...extra };
}

describe('findTemporalCli', () => {
  it('prefers TEMPORAL_CLI over PATH and the cache', async () => {
    const explicit = script(join(tempDir(), 'my-temporal'), 'exit 0');
    const binDir = tempDir();
    script(join(binDir, 'temporal'), 'exit 0');
    const env = isolatedEnv([binDir], { TEMPORAL_CLI: explicit });
    script(temporalCliCachePath(env), 'exit 0');
    expect(await findTemporalCli({ env })).toBe(explicit);
  });

  it('refuses a TEMPORAL_CLI that is missing or not executable, naming the variable', async () => {
    const missing = join(tempDir(), 'nope');
    await expect(findTemporalCli({ env: isolatedEnv([], { TEMPORAL_CLI: missing }) })).rejects.toThrow(
      `TEMPORAL_CLI is set to ${missing}, which is not an executable file`,
    );
    const notExecutable = script(join(tempDir(), 'temporal'), 'exit 0', 0o644);
    await expect(findTemporalCli({ env: isolatedEnv([], { TEMPORAL_CLI: notExecutable }) })).rejects.toThrow(
      /TEMPORAL_CLI is set to .*not an executable file/,
    );
  });

  it('takes the first executable temporal on PATH before the cache', async () => {
    const [empty, notExecutable, good, later] = [tempDir(), tempDir(), tempDir(), tempDir()];
    script(join(notExecutable, 'temporal'), 'exit 0', 0o644);
    script(join(good, 'temporal'), 'exit 0');
    script(join(later, 'temporal'), 'exit 0');
    const env = isolatedEnv([empty, notExecutable, good, later]);
    script(temporalCliCachePath(env), 'exit 0');
    expect(await findTemporalCli({ env })).toBe(join(good, 'temporal'));
  });

  it('falls back to the versioned cache under XDG_CACHE_HOME, then to undefined without build', async () => {
    const env = isolatedEnv([tempDir()]);
    expect(temporalCliCachePath(env)).toBe(join(env.XDG_CACHE_HOME!, 'revo', 'temporal-cli', 'v1.5.1', 'temporal'));
    expect(await findTemporalCli({ env })).toBeUndefined();
    script(temporalCliCachePath(env), 'exit 0');
    expect(await findTemporalCli({ env })).toBe(temporalCliCachePath(env));
  });

  it('uses ~/.cache when XDG_CACHE_HOME is not set', () => {
    expect(temporalCliCacheDir({ HOME: '/home/someone' })).toBe('/home/someone/.cache/revo/temporal-cli/v1.5.1');
  });
});

describe('building the temporal CLI with Go', () => {
  /** A fake `go` that logs its calls and "installs" a binary into $GOBIN after a while. */
  function fakeGo(dir: string, calls: string, seconds = 0): void {
    script(
      join(dir, 'go'),
      [
        'PATH=/usr/bin:/bin # the test env has only this dir on PATH',
        `echo "$GOBIN $*" >> ${calls}`,
        'echo "go: downloading github.com/temporalio/cli v1.5.1" >&2',
        `sleep ${seconds}`,
        'printf "#!/bin/sh\\necho built\\n" > "$GOBIN/temporal"',
        'chmod +x "$GOBIN/temporal"',
      ].join('\n'),
    );
  }

  it('builds into a temp dir, renames into the cache and leaves nothing else behind', async () => {
    const goDir = tempDir();
    const calls = join(goDir, 'calls.log');
    fakeGo(goDir, calls);
    const env = isolatedEnv([goDir]);
    const lines: string[] = [];

    const binary = await findTemporalCli({ env, build: true, log: (line) => lines.push(line) });

    expect(binary).toBe(temporalCliCachePath(env));
    expect(readFileSync(binary!, 'utf8')).toContain('echo built');
    const [call] = readFileSync(calls, 'utf8').trim().split('\n');
    expect(call).toMatch(/^\S*\/\.build-\S+ install -ldflags=.* github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1$/);
    expect(readdirSync(temporalCliCacheDir(env)).sort()).toEqual(['build.log', 'temporal']);
    expect(lines[0]).toBe('building the Temporal CLI from source with Go, first time only, takes a few minutes…');
  });

  it('builds once when two callers ask at the same time', async () => {
    const goDir = tempDir();
    const calls = join(goDir, 'calls.log');
    fakeGo(goDir, calls, 1);
    const env = isolatedEnv([goDir]);
    const lines: string[] = [];
    const log = (line: string): void => void lines.push(line);

    const [first, second] = await Promise.all([
      findTemporalCli({ env, build: true, log }),
      findTemporalCli({ env, build: true, log }),
    ]);

    expect([first, second]).toEqual([temporalCliCachePath(env), temporalCliCachePath(env)]);
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(lines.some((line) => /another process .* is building the Temporal CLI; waiting/.test(line))).toBe(true);
  });

  it('fails clearly with the end of the build log, leaving no binary and no lock', async () => {
    const goDir = tempDir();
    script(join(goDir, 'go'), 'echo "go: github.com/temporalio/cli@v1.5.1: no network" >&2\nexit 1');
    const env = isolatedEnv([goDir]);

    await expect(findTemporalCli({ env, build: true })).rejects.toThrow(
      /building the Temporal CLI failed \(exit code 1\)[^]*no network[^]*Set TEMPORAL_CLI/,
    );
    expect(existsSync(temporalCliCachePath(env))).toBe(false);
    expect(readdirSync(temporalCliCacheDir(env))).toEqual(['build.log']);
  });

  it('takes over the lock of a build whose process died', async () => {
    const goDir = tempDir();
    const calls = join(goDir, 'calls.log');
    fakeGo(goDir, calls);
    const env = isolatedEnv([goDir]);
    mkdirSync(join(temporalCliCacheDir(env), '.build-killed'), { recursive: true });
    writeFileSync(join(temporalCliCacheDir(env), 'build.lock'), '999999999'); // no such pid

    expect(await findTemporalCli({ env, build: true })).toBe(temporalCliCachePath(env));
    expect(readdirSync(temporalCliCacheDir(env)).sort()).toEqual(['build.log', 'temporal']);
  });
});
