/**
 * Finding the `temporal` CLI, which runs Temporal's dev server — and, once per machine,
 * building it from source with Go (go-build.ts), because our machines cannot download
 * release binaries. POSIX only (Linux, macOS).
 */
import { join } from 'node:path';
import { findGo, findOnPath, goBuildIntoCache, isExecutableFile, revoCacheDir } from './go-build.js';

/** The one CLI version we build and cache (later tags carry a `replace` directive `go install` refuses). */
export const TEMPORAL_CLI_VERSION = '1.5.1';

const CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';
// As the CLI's own release build: no debug info (a quarter of a gigabyte otherwise), and a real version.
const LD_FLAGS = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;

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
  return goBuildIntoCache(go, {
    what: 'the Temporal CLI',
    dir: temporalCliCacheDir(env),
    binary: 'temporal',
    // `go install` writes the binary into GOBIN, which the build points at its temp dir.
    args: () => ['install', `-ldflags=${LD_FLAGS}`, `${CLI_PACKAGE}@v${TEMPORAL_CLI_VERSION}`],
    env,
    hint: 'Set TEMPORAL_CLI to an existing temporal binary to skip the build.',
    log,
  });
}

/** `${XDG_CACHE_HOME or ~/.cache}/revo/temporal-cli/v<version>`: outside git, shared by every clone. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return revoCacheDir(env, 'temporal-cli', `v${TEMPORAL_CLI_VERSION}`);
}

export function temporalCliCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(temporalCliCacheDir(env), 'temporal');
}
