/**
 * A workflow's `schedule:` (docs/dsl.md#the-file) as a Temporal Schedule: `revo deploy` creates
 * or updates one per scheduled workflow, id `revo-<workflow name>`. Its action starts
 * the one `revo` workflow type with the definition by value, exactly as `revo start`
 * does, so a scheduled run never depends on files either.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import { parseDuration } from '../../interpreter/duration.js';
import type { Json, Schedule } from '../../interpreter/model.js';
import { UsageError } from '../errors.js';
import { WORKFLOW_TYPE } from '../sandboxed/workflow/contract.js';
import { memoOf } from '../sandboxed/run-start.js';
import { workflowArgument } from './client.js';
import type { TemporalSettings } from './connection.js';

export type DeployOutcome = 'created' | 'updated' | 'unchanged';

/** What `revo deploy` wants Temporal to hold for one workflow. */
export interface DesiredSchedule {
  scheduleId: string;
  /** `cron 0 3 * * *` or `every 1h`: for people, and kept in each run's memo. */
  when: string;
  spec: ScheduleSpec;
  action: ScheduleOptionsAction;
}

export function scheduleIdOf(workflow: string): string {
  return `revo-${workflow}`;
}

/** The input every scheduled run gets: `schedule.input`, else `{}` as `revo run` gives without `--input`. */
export function scheduledInput(schedule: Schedule): Json {
  return schedule.input ?? {};
}

/** `cron` → a cron expression (Temporal also accepts a `CRON_TZ=` prefix and descriptors); `every` → an interval. */
export function scheduleSpec(schedule: Schedule): ScheduleSpec {
  if (schedule.cron !== undefined) return { cronExpressions: [schedule.cron.trim()] };
  if (schedule.every !== undefined) {
    const ms = parseDuration(schedule.every);
    // Temporal rounds intervals to whole seconds: refuse rather than silently change the period.
    if (ms === undefined || ms < 1000 || ms % 1000 !== 0) {
      throw new UsageError(`\`schedule.every: ${schedule.every}\` is not a whole number of seconds (at least 1s), which Temporal schedules need`);
    }
    return { intervals: [{ every: ms }] };
  }
  throw new UsageError('`schedule:` needs `cron` or `every`');
}

export function describeWhen(schedule: Schedule): string {
  return schedule.cron !== undefined ? `cron ${schedule.cron.trim()}` : `every ${schedule.every}`;
}

export function desiredSchedule(bundle: WorkflowBundle, schedule: Schedule, settings: TemporalSettings): DesiredSchedule {
  const name = bundle.definition.name;
  const input = scheduledInput(schedule);
  const when = describeWhen(schedule);
  return {
    scheduleId: scheduleIdOf(name),
    when,
    spec: scheduleSpec(schedule),
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPE,
      taskQueue: settings.taskQueue,
      // Temporal appends the scheduled time: `nightly-report-2025-01-01T03:00:00Z`.
      workflowId: name,
      args: [workflowArgument({ bundle, input, trigger: { by: 'schedule', input } })],
      // `schedule` is also how a later deploy tells a changed cron from an unchanged one:
      // Temporal stores a cron only as the calendar it compiles it to.
      memo: { ...memoOf(bundle), schedule: when },
    },
  };
}

/** Creates the schedule, or updates it when it differs; with `dryRun` only says which it would do. */
export async function deploySchedule(client: Client, desired: DesiredSchedule, options: { dryRun?: boolean } = {}): Promise<DeployOutcome> {
  const existing = await describeSchedule(client, desired.scheduleId);
  if (!existing) {
    if (options.dryRun) return 'created';
    try {
      await client.schedule.create({ scheduleId: desired.scheduleId, spec: desired.spec, action: desired.action });
      return 'created';
    } catch (error) {
      // Another deploy created it in the meantime: update it like any existing one.
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    }
  } else if (isUnchanged(existing, desired)) {
    return 'unchanged';
  }
  if (!options.dryRun) {
    // Policies and state (paused, its note) are the operators' to change: kept as they are.
    await client.schedule.getHandle(desired.scheduleId).update((previous) => ({ ...previous, spec: desired.spec, action: desired.action }));
  }
  return 'updated';
}

export async function describeSchedule(client: Client, scheduleId: string): Promise<ScheduleDescription | undefined> {
  try {
    return await client.schedule.getHandle(scheduleId).describe();
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/** Whether the schedule on Temporal already starts what `desired` would (compared as the JSON Temporal keeps). */
function isUnchanged(existing: ScheduleDescription, desired: DesiredSchedule): boolean {
  const { action } = existing;
  const wanted = desired.action;
  return (
    action.workflowType === wanted.workflowType &&
    action.taskQueue === wanted.taskQueue &&
    action.workflowId === wanted.workflowId &&
    isDeepStrictEqual(asJson(action.args), asJson(wanted.args)) &&
    isDeepStrictEqual(asJson(action.memo ?? {}), asJson(wanted.memo))
  );
}

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}
