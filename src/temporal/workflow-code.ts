/** Where workers and replays find the bundled workflow code (made by `npm run build`), and how it is bundled. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

/** `traced`: the bundle with the SDK's OpenTelemetry workflow interceptors (src/sandboxed/workflow/tracing.ts), for a worker that traces. */
export function workflowBundle(options: { traced?: boolean } = {}): { codePath: string } {
  const codePath = join(PACKAGE_ROOT, 'dist', options.traced ? 'temporal-workflow-traced.js' : 'temporal-workflow.js');
  if (!existsSync(codePath)) throw new UsageError(`the Temporal workflow bundle ${codePath} is missing; run \`npm run build\` in the Revo package`);
  return { codePath };
}

/** The workflow module (tsc's output) the bundles are made from. */
export const WORKFLOW_MODULE = join(PACKAGE_ROOT, 'dist', 'src', 'sandboxed', 'workflow', 'workflow.js');

/** Modules that must be evaluated for each run: they are, or reach, the SDK or OpenTelemetry, which read the run's globals. */
const PER_RUN = /^@temporalio\/|^@opentelemetry\//;

/**
 * The bundler's `preloadModules`: every module of ours the workflow reaches that reaches
 * nothing PER_RUN (with the packages they import, such as ajv and json-logic-js). The SDK
 * evaluates them once per worker thread instead of once per run — for Revo that is the
 * whole interpreter, a fifth of the workflow thread's time when it was done per run. They
 * hold no per-run state: the local engine already shares them between the runs of one
 * process. Read from the compiled imports, so a new module is placed by what it imports.
 */
export function preloadableModules(entry: string = WORKFLOW_MODULE): string[] {
  const imports = new Map<string, string[]>(); // module → what it imports (resolved paths, or package names)
  const walk = (file: string): void => {
    if (imports.has(file)) return;
    const source = readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => (m[1] ?? m[2])!);
    const resolved = specifiers.map((s) => (s.startsWith('.') ? resolve(dirname(file), s) : s));
    imports.set(file, resolved);
    for (const module of resolved) if (module.startsWith('/')) walk(module);
  };
  walk(entry);
  const perRun = new Map<string, boolean>();
  const reachesPerRun = (module: string): boolean => {
    if (!module.startsWith('/')) return PER_RUN.test(module);
    if (!perRun.has(module)) {
      perRun.set(module, false); // in an import cycle: decided by the cycle's other edges
      perRun.set(module, imports.get(module)!.some(reachesPerRun));
    }
    return perRun.get(module)!;
  };
  return [...imports.keys()].filter((file) => file !== entry && !reachesPerRun(file));
}
