/** `--priority` and `--fairness-key`, shared by `revo run` and `revo start` (docs/dsl.md#priority). */
import { InvalidArgumentError, type Command } from 'commander';
import type { RunPriority } from '../api/revo.js';
import { PRIORITY_KEY_MAX, PRIORITY_KEY_MIN } from '../../interpreter/options.js';

export interface PriorityFlags {
  priority?: number;
  fairnessKey?: string;
}

function priorityKey(value: string): number {
  const key = Number(value);
  if (!/^\d+$/.test(value) || key < PRIORITY_KEY_MIN || key > PRIORITY_KEY_MAX) {
    throw new InvalidArgumentError(`a priority key is ${PRIORITY_KEY_MIN} (runs first) to ${PRIORITY_KEY_MAX} (runs last), not "${value}"`);
  }
  return key;
}

export function addPriorityOptions(command: Command): Command {
  return command
    .option('--priority <1-5>', "the run's priority key on Temporal, over the definition's `priority.key` (1 runs first, 5 last; docs/dsl.md#priority)", priorityKey)
    .option('--fairness-key <key>', "the run's fairness key on Temporal, over the definition's `priority.fairnessKey` (docs/dsl.md#priority)");
}

export function priorityOf(flags: PriorityFlags): RunPriority | undefined {
  if (flags.priority === undefined && flags.fairnessKey === undefined) return undefined;
  return { ...(flags.priority !== undefined && { key: flags.priority }), ...(flags.fairnessKey !== undefined && { fairnessKey: flags.fairnessKey }) };
}
