/**
 * The package as a user gets it: `npm pack`, the tarball installed into a fresh project
 * outside the repository, and a TypeScript consumer there that imports only from 'revo'
 * (test/fixtures/consumer/). It must type-check against the shipped .d.ts (tsc --noEmit,
 * strict, NodeNext), and run: load a workflow, start it locally and on the shared dev
 * server (with `createWorker` in the same process), query it, have a bad signal refused,
 * signal it, await its result, catch a RunFailedError carrying the DSL error, list runs.
 *
 * The install works offline: the fresh project gets a lock file made from the repo's own
 * (the versions the repo installed, whose tarballs `npm install` left in the npm cache),
 * so `npm ci --offline` needs no registry. Should the cache lack something, it retries
 * with --prefer-offline. Nothing here is skipped: when a step cannot be done, it fails.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalAddress } from './harness.js';

const REPO = join(import.meta.dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'consumer');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

interface Ran {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Child processes get no npm_* variables: under `npm test`, npm_config_local_prefix & co. would point npm at the repo. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(file: string, args: string[], cwd: string, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<Ran> {
  const started = Date.now();
  const command = `${relative(REPO, file) || file} ${args.join(' ')} (in ${cwd})`;
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: cleanEnv(options.env), timeout: options.timeoutMs ?? 180_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ command, code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
    });
  });
}

function must(ran: Ran): Ran {
  if (ran.code !== 0) throw new Error(`${ran.command} exited ${ran.code}\n--- stdout\n${ran.stdout.slice(-4000)}\n--- stderr\n${ran.stderr.slice(-4000)}`);
  return ran;
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const DIST_OUTPUTS = ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/temporal-workflow.js', 'dist/cli/revo.mjs'];

/**
 * The sources changed since dist/ was built (none when it is fresh). The pretest hook
 * builds dist/, so in CI it is always fresh. In a work tree where others edit src/ while
 * the suite runs it can lag behind; rebuilding here would rewrite dist/ under the other
 * test files that spawn the CLI, so a stale dist/ is packed as it is, with a warning.
 */
function changedSinceBuild(): string[] {
  const built = Math.min(...DIST_OUTPUTS.map((f) => statSync(join(REPO, f)).mtimeMs));
  const sources = ['src', 'interpreter'].flatMap((d) => files(join(REPO, d))).filter((f) => /\.(ts|js|json)$/.test(f) && !f.includes(join('src', 'validate', 'generated')));
  sources.push(join(REPO, 'schema', 'workflow.schema.json'));
  return sources.filter((f) => statSync(f).mtimeMs > built).map((f) => relative(REPO, f));
}

/**
 * A lock file for the consumer project: revo from the tarball, and every package the repo's
 * lock installs for production (plus @types/node for the consumer's own type-check).
 */
function consumerLock(tarball: string): { packageJson: object; lock: object } {
  const repoPackage = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    version: string;
    license: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; version?: string }> };
  const typesNode = repoLock.packages['node_modules/@types/node'];
  if (!typesNode?.version) throw new Error('the repo lock has no @types/node');
  const spec = `file:../${tarball}`;
  const root = { name: 'revo-consumer', version: '1.0.0', dependencies: { revo: spec }, devDependencies: { '@types/node': typesNode.version } };
  const packages: Record<string, object> = {
    '': root,
    'node_modules/revo': { version: repoPackage.version, resolved: spec, license: repoPackage.license, dependencies: repoPackage.dependencies, bin: repoPackage.bin, engines: repoPackage.engines },
  };
  for (const [path, entry] of Object.entries(repoLock.packages)) {
    if (path === '' || !path.startsWith('node_modules/')) continue;
    if (!entry.dev) packages[path] = entry;
    else if (path === 'node_modules/@types/node' || path === 'node_modules/undici-types') packages[path] = entry;
  }
  return { packageJson: { ...root, private: true, type: 'module' }, lock: { name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages } };
}

/**
 * Follows the shipped declarations from dist/src/index.d.ts: every relative import must be
 * in the package, and every bare one a dependency (or Node's). With `skipLibCheck` (which
 * every consumer of the Temporal SDK needs) tsc would turn a missing file into `any` silently.
 */
function declarationProblems(packageDir: string): { problems: string[]; files: number; packages: string[] } {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  const problems: string[] = [];
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = ['dist/src/index.d.ts'];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const path = join(packageDir, file);
    if (!existsSync(path)) {
      problems.push(`missing from the package: ${file}`);
      continue;
    }
    const text = readFileSync(path, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/(?!\/).*$/gm, '');
    for (const match of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) {
      const specifier = match[1]!;
      if (specifier.startsWith('.')) {
        const target = normalize(join(dirname(file), specifier)).replace(/\.js$/, '');
        queue.push(`${target}.d.ts`);
      } else {
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (name === manifest.name || specifier.startsWith('node:') || builtinModules.includes(name)) continue;
        packages.add(name);
        if (!dependencies.has(name)) problems.push(`${file} imports "${specifier}", which is not a dependency of the package`);
      }
    }
    for (const match of text.matchAll(/\/\/\/\s*<reference\s+types="([^"]+)"/g)) {
      if (match[1] !== 'node' && !dependencies.has(match[1]!)) problems.push(`${file} references types "${match[1]}", which is not a dependency`);
    }
  }
  return { problems, files: seen.size, packages: [...packages].sort() };
}

interface EngineSummary {
  runId: string;
  engine: string;
  stageBefore: unknown;
  refused: { name: string; signal: string; reason: string } | null;
  output: unknown;
  failed: { name: string; status: string; type: string; message: string; step?: string } | null;
  foundAgain: string;
}

interface Summary {
  diagnostics: string[];
  workflow: string;
  worker: { taskQueue: string; activities: string[] };
  local: EngineSummary;
  temporal: EngineSummary;
  runs: { length: number; workflows: string[]; statuses: string[]; engines: string[] };
}

describe('the packed package, installed in a fresh project', () => {
  const work = mkdtempSync(join(tmpdir(), 'revo-packed-'));
  const project = join(work, 'consumer');
  const timings: Record<string, number> = {};
  let packedFiles: string[] = [];
  let typecheck: Ran;
  let consumer: Ran;
  let taskQueue: string;

  beforeAll(async () => {
    const begun = Date.now();
    if (!DIST_OUTPUTS.every((f) => existsSync(join(REPO, f)))) {
      console.error('[packed-consumer] dist/ is missing or incomplete: building it');
      timings.build = must(await run('npm', ['run', '--silent', 'build'], REPO, { timeoutMs: 300_000 })).ms;
    }
    const changed = changedSinceBuild();
    if (changed.length > 0) console.error(`[packed-consumer] warning: dist/ is older than ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ` and ${changed.length - 5} more` : ''}; packing it as it is (npm test builds it first)`);
    // dist/ is built, so `prepare` (a full build, about a minute) is left out.
    const packed = must(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], REPO));
    timings.pack = packed.ms;
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error(`npm pack printed no package: ${packed.stdout}`);
    packedFiles = info.files.map((f) => f.path);
    const tarball = info.filename.replace(/^.*\//, '');

    cpSync(FIXTURES, project, { recursive: true });
    renameSync(join(project, 'consumer.ts.txt'), join(project, 'consumer.ts'));
    const { packageJson, lock } = consumerLock(tarball);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
    writeFileSync(join(project, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            lib: ['ES2022'],
            types: ['node'],
            strict: true,
            noUncheckedIndexedAccess: true,
            noEmit: true,
            // The Temporal SDK's own .d.ts do not compile without it (`ms` has no types under
            // NodeNext); Revo's declarations are checked by declarationProblems() instead.
            skipLibCheck: true,
          },
          files: ['consumer.ts'],
        },
        null,
        2,
      ),
    );

    const npmCi = ['ci', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'];
    let installed = await run('npm', [...npmCi, '--offline'], project);
    if (installed.code !== 0) {
      console.error(`[packed-consumer] npm ci --offline failed (the npm cache lacks a package?), trying --prefer-offline:\n${installed.stderr.slice(-2000)}`);
      installed = await run('npm', [...npmCi, '--prefer-offline'], project);
    }
    timings.install = must(installed).ms;

    // Type-check and run side by side: neither changes anything the other reads.
    taskQueue = `packed-consumer-${randomUUID()}`;
    [typecheck, consumer] = await Promise.all([
      run(process.execPath, [TSC, '-p', 'tsconfig.json'], project),
      run(process.execPath, ['--import', 'tsx', 'consumer.ts'], project, {
        timeoutMs: 150_000,
        env: { REVO_HOME: join(project, '.revo'), CONSUMER_TEMPORAL_ADDRESS: temporalAddress(), CONSUMER_TASK_QUEUE: taskQueue },
      }),
    ]);
    timings.typecheck = typecheck.ms;
    timings.consumer = consumer.ms;
    timings.total = Date.now() - begun;
    console.error(`[packed-consumer] ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ')}`);
  }, 600_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships what the API, the CLI and Temporal workers need', () => {
    for (const file of ['package.json', 'bin/revo.js', 'dist/cli/revo.mjs', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/temporal-workflow.js', 'schema/workflow.schema.json']) {
      expect(packedFiles, file).toContain(file);
    }
    // Nothing of the repo's sources, tests or tooling.
    expect(packedFiles.filter((f) => /^(src|test|interpreter|scripts|node_modules)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', 'revo', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(installed.exports['.']).toEqual({ types: './dist/src/index.d.ts', default: './dist/src/index.js' });
  });

  it('has declarations that resolve inside the package and its dependencies', () => {
    const { problems, files, packages } = declarationProblems(join(project, 'node_modules', 'revo'));
    expect(problems).toEqual([]);
    expect(files).toBeGreaterThan(10);
    expect(packages).toContain('json-schema-to-ts'); // defineActivity's types come from it: it must stay a dependency
  });

  it('type-checks a consumer that imports only from "revo" against the shipped types', () => {
    expect(typecheck.code, `${typecheck.stdout}${typecheck.stderr}`).toBe(0);
    expect(typecheck.stdout + typecheck.stderr).toBe('');
  });

  it('runs the consumer: local and Temporal runs, a query, a refused and an accepted signal, a RunFailedError, the run list', () => {
    expect(consumer.code, `consumer exited ${consumer.code}\n--- stdout\n${consumer.stdout}\n--- stderr\n${consumer.stderr}`).toBe(0);
    const line = consumer.stdout.split('\n').find((l) => l.startsWith('CONSUMER_SUMMARY '));
    expect(line, `no summary in:\n${consumer.stdout}\n${consumer.stderr}`).toBeDefined();
    const summary = JSON.parse(line!.slice('CONSUMER_SUMMARY '.length)) as Summary;

    expect(summary.diagnostics).toEqual([]);
    expect(summary.workflow).toBe('consumer-approval');
    expect(summary.worker.taskQueue).toBe(taskQueue);
    expect(summary.worker.activities).toContain('consumer.label');

    for (const engine of ['local', 'temporal'] as const) {
      const ran = summary[engine];
      const item = `widget-${engine}`;
      expect(ran.engine, engine).toBe(engine);
      expect(ran.foundAgain, engine).toBe(engine);
      expect(ran.stageBefore, engine).toBe('waiting');
      expect(ran.refused, engine).toEqual({ name: 'SignalRejectedError', signal: 'approve', reason: expect.stringMatching(/does not match its schema.*decision/) });
      expect(ran.output, engine).toEqual({ label: `${item.toUpperCase()} (approved by amara, attempt 1)`, length: item.length, engine });
      expect(ran.failed, engine).toEqual({ name: 'RunFailedError', status: 'failed', type: 'ItemRejected', message: `gadget-${engine} was rejected by lee`, step: 'rejected' });
    }
    expect(summary.temporal.runId).not.toBe(summary.local.runId);

    // listRuns lists the runs of every engine: the two local ones (journaled under REVO_HOME) and the two on Temporal.
    expect(summary.runs).toEqual({
      length: 4,
      workflows: Array(4).fill('consumer-approval'),
      statuses: ['completed', 'completed', 'failed', 'failed'],
      engines: ['local', 'local', 'temporal', 'temporal'],
    });
  });
});
