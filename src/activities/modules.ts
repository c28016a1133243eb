/** Which activity modules a run uses, and loading them into a map by activity name. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ActivityDefinition } from './types.js';
import { loadActivities } from './catalog.js';

/** Activity modules used when none are given: an `activities/index.ts` (or .js) beside the workflow. */
export function activitiesBeside(file: string): string[] {
  for (const name of ['index.ts', 'index.js', 'index.mjs']) {
    const candidate = join(dirname(file), 'activities', name);
    if (existsSync(candidate)) return [candidate];
  }
  return [];
}

/** The activity modules a run of `file` uses: those given, else the ones beside it (absolute paths). */
export function activityModules(file: string, given: readonly string[] | undefined): string[] {
  return (given?.length ? given : activitiesBeside(file)).map((m) => resolve(m));
}

/** The built-ins plus the definitions of `modules`, by name (a later name replaces an earlier one). */
export async function loadActivityMap(modules: readonly string[]): Promise<Map<string, ActivityDefinition>> {
  const { definitions } = await loadActivities({ activities: modules });
  return new Map(definitions.map((d) => [d.name, d]));
}
