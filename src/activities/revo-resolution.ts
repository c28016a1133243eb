/**
 * Lets an activities module anywhere on disk `import … from 'revo'` (or `require('revo')`)
 * and get the Revo that is running: the very same module instances, so `instanceof
 * WorkflowError` and friends hold between the module and the engine.
 *
 * The user's module may be nowhere near a node_modules/revo (a script in /tmp, a global
 * install of the CLI), so Node's own lookup fails. We add a fallback that applies only
 * when that lookup fails, so a project with its own node_modules/revo keeps it:
 *
 * - ESM `import` (JavaScript modules, and TypeScript ones in a `"type": "module"` scope):
 *   a resolve hook registered with `module.register` (Node ≥ 20.6). It asks the rest of
 *   the chain first (tsx's hooks and Node's resolver, in whatever order they were
 *   registered); on ERR_MODULE_NOT_FOUND it resolves `revo` to a `data:` module that
 *   re-exports this process's public API, and `revo/<subpath>` through this package's
 *   own package.json "exports" (Node's self-reference, from the package root).
 * - CommonJS `require` (which tsx uses for TypeScript modules in a CommonJS scope, e.g. a
 *   .ts file in a directory without package.json): Node 20's hooks do not reach require,
 *   so `Module._resolveFilename` gets the same fallback, `revo` resolving to an entry of
 *   the require cache that holds the same API object.
 *
 * "The running package's API" is the namespace of ../index.ts as imported here: in the
 * bundled CLI (dist/cli) that is the bundle's copy, the one whose WorkflowError the engine
 * checks; resolving to dist/src/index.js instead would give a second, different copy.
 *
 * Limits: the fallback answers "not found" only (a node_modules/revo that exists but is
 * broken also falls back); on Node < 20.6 (no module.register) only `require` has it.
 */
import Module, { register } from 'node:module';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as revoApi from '../index.js';
import { PACKAGE_ROOT } from '../paths.js';

const PACKAGE_NAME = 'revo';

let installed = false;

/** Installs the fallbacks once per process (per Revo instance); later calls do nothing. */
export function makeRevoResolvable(): void {
  if (installed) return;
  installed = true;
  const key = `revo:running-instance:${randomUUID()}`;
  (globalThis as Record<symbol, unknown>)[Symbol.for(key)] = revoApi;
  installEsmFallback(key);
  installCjsFallback(key);
}

/** ES module source re-exporting the API object stored under globalThis[Symbol.for(key)]. */
function apiModuleSource(key: string): string {
  const names = Object.keys(revoApi).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name) && name !== 'default');
  return [
    `const api = globalThis[Symbol.for(${JSON.stringify(key)})];`,
    ...names.map((name) => `export const ${name} = api.${name};`),
    '',
  ].join('\n');
}

const dataUrl = (source: string) => `data:text/javascript,${encodeURIComponent(source)}`;

/**
 * The resolve hook, as source: hooks run on Node's loader thread and are loaded by URL,
 * and a data: URL works the same from src/, dist/src/ and the dist/cli bundle.
 * (A data: URL ignores a query string, so tsx appending its namespace to it is harmless.)
 */
const HOOKS_SOURCE = `
let entryUrl, packageJsonUrl;
export function initialize(data) { ({ entryUrl, packageJsonUrl } = data); }
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const ours = specifier === ${JSON.stringify(PACKAGE_NAME)} || specifier.startsWith(${JSON.stringify(PACKAGE_NAME + '/')});
    if (!ours || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    if (specifier === ${JSON.stringify(PACKAGE_NAME)}) return { url: entryUrl, format: 'module', shortCircuit: true };
    return nextResolve(specifier, { ...context, parentURL: packageJsonUrl });
  }
}
`;

function installEsmFallback(key: string): void {
  if (typeof register !== 'function') return; // Node < 20.6: no hooks; only CommonJS gets the fallback.
  register(dataUrl(HOOKS_SOURCE), {
    data: { entryUrl: dataUrl(apiModuleSource(key)), packageJsonUrl: pathToFileURL(join(PACKAGE_ROOT, 'package.json')).href },
  });
}

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain?: boolean, options?: unknown): string;
  _cache: Record<string, unknown>;
}

function installCjsFallback(key: string): void {
  const internals = Module as unknown as ModuleInternals;
  // An id that is no path: Module._load finds it in the cache and never reads the disk.
  // Not absolute, so tsx (which appends ?namespace=… to the absolute paths a namespaced
  // module resolves to) returns it untouched and the cache lookup hits.
  const cacheId = `${key}:exports`;
  const entry = new Module(cacheId);
  entry.filename = cacheId;
  entry.exports = revoApi;
  entry.loaded = true;
  internals._cache[cacheId] = entry;
  // Self-reference: require('revo/…') from inside the package resolves through its "exports".
  const selfParent = new Module(join(PACKAGE_ROOT, 'package.json'));
  selfParent.filename = join(PACKAGE_ROOT, 'package.json');
  selfParent.paths = [];

  const previous = internals._resolveFilename;
  internals._resolveFilename = function (request, parent, isMain, options) {
    try {
      return previous.call(this, request, parent, isMain, options);
    } catch (error) {
      const ours = request === PACKAGE_NAME || request.startsWith(`${PACKAGE_NAME}/`);
      if (!ours || (error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      if (request === PACKAGE_NAME) return cacheId;
      return previous.call(this, request, selfParent, isMain, options);
    }
  };
}
