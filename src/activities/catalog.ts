import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { BUILTIN_ACTIVITIES } from './builtins/index.js';
import type { ActivityDefinition, ActivitySpec, Catalog } from './types.js';

/** The JSON catalog format written by `revo catalog` and read by `--catalog`. */
export interface CatalogFile {
  revoCatalog: 1;
  activities: ActivitySpec[];
}

export interface CatalogSources {
  /** Modules (TypeScript or JavaScript) exporting activity definitions. */
  activities?: readonly string[];
  /** JSON catalog files. */
  catalogs?: readonly string[];
}

export interface LoadedActivities {
  catalog: Catalog;
  /** Definitions with code: the built-ins plus those of the modules. */
  definitions: ActivityDefinition[];
}

/** The built-ins, then every module and catalog file given; a later name replaces an earlier one. */
export async function loadActivities(sources: CatalogSources = {}): Promise<LoadedActivities> {
  const definitions: ActivityDefinition[] = [...BUILTIN_ACTIVITIES];
  for (const path of sources.activities ?? []) definitions.push(...(await loadActivityModule(path)));
  const catalog = new Map<string, ActivitySpec>(definitions.map((d) => [d.name, specOf(d)]));
  for (const path of sources.catalogs ?? []) for (const spec of await loadCatalogFile(path)) catalog.set(spec.name, spec);
  return { catalog, definitions };
}

/** The validation-relevant part of a definition (no code). */
export function specOf(definition: ActivitySpec): ActivitySpec {
  const { name, description, input, output, defaults, taskQueue, external } = definition;
  return {
    name,
    ...(description ? { description } : {}),
    input,
    output,
    ...(defaults ? { defaults } : {}),
    ...(taskQueue !== undefined && { taskQueue }),
    ...(external && { external }),
  };
}

export function toCatalogFile(specs: Iterable<ActivitySpec>): CatalogFile {
  return { revoCatalog: 1, activities: [...specs].map(specOf).sort((a, b) => a.name.localeCompare(b.name)) };
}

function isActivityDefinition(value: unknown): value is ActivityDefinition {
  const v = value as ActivityDefinition | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.run === 'function' && 'input' in v && 'output' in v;
}

/**
 * Imports a module and collects the activity definitions it exports (directly, or
 * in an exported array). TypeScript modules are compiled on the fly with tsx.
 * The module may import (or require) 'revo' from anywhere on disk: without a
 * node_modules/revo of its own it gets the running Revo (see revo-resolution.ts).
 */
export async function loadActivityModule(path: string): Promise<ActivityDefinition[]> {
  const url = pathToFileURL(resolve(path)).href;
  let module: Record<string, unknown>;
  try {
    // Imported here, not at the top: it loads the whole API, which `revo validate` without modules never needs.
    (await import('./revo-resolution.js')).makeRevoResolvable();
    if (/\.[cm]?ts$/.test(path)) {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    } else {
      module = (await import(url)) as Record<string, unknown>;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(resolve(path)) ? 'file not found' : e.message.split('\n')[0];
    throw new UsageError(`cannot load activities from ${path}: ${reason}`);
  }
  const found = new Map<string, ActivityDefinition>();
  for (const value of Object.values(module)) {
    for (const candidate of Array.isArray(value) ? value : [value]) {
      if (isActivityDefinition(candidate)) found.set(candidate.name, candidate);
    }
  }
  if (found.size === 0) {
    throw new UsageError(`${path} exports no activity definitions; export the result of defineActivity({ name, input, output, run })`);
  }
  return [...found.values()];
}

export async function loadCatalogFile(path: string): Promise<ActivitySpec[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot read catalog ${path}: ${e.code === 'ENOENT' ? 'file not found' : e.message}`);
  }
  const file = parsed as Partial<CatalogFile>;
  if (file?.revoCatalog !== 1 || !Array.isArray(file.activities)) {
    throw new UsageError(`${path} is not a Revo catalog; write one with \`revo catalog --activities <module> > ${path}\``);
  }
  file.activities.forEach((spec, i) => {
    if (typeof spec?.name !== 'string' || !('input' in spec) || !('output' in spec)) {
      throw new UsageError(`${path}: activities[${i}] needs name, input and output`);
    }
    if (spec.taskQueue !== undefined && (typeof spec.taskQueue !== 'string' || !/^\S+$/.test(spec.taskQueue))) {
      throw new UsageError(`${path}: activities[${i}] ("${spec.name}"): taskQueue must be a task queue name (a string without spaces)`);
    }
    if (spec.external !== undefined && spec.external !== true) {
      throw new UsageError(`${path}: activities[${i}] ("${spec.name}"): external is true or absent`);
    }
    if (spec.external && spec.taskQueue === undefined) {
      throw new UsageError(
        `${path}: activities[${i}] ("${spec.name}") is external but names no taskQueue; add the task queue its workers poll (docs/dsl.md#routing)`,
      );
    }
  });
  return file.activities;
}
