import { Command } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';
import { repeatable } from '../repeatable.js';
import { addTemporalOptions } from '../temporal-options.js';

interface ReplayOptions extends TemporalFlags {
  definition?: string;
  current?: boolean;
  activities?: string[];
  workflowId?: string;
  json?: boolean;
}

export function replayCommand(): Command {
  const command = new Command('replay')
    .description('Rebuild a run step by step from its record, without running anything, and check that it replays identically.')
    .argument('<runId|file>', 'a run id (local or Temporal), a `revo history --json` export, or a Temporal history JSON file')
    .option('--definition <file>', 'replay the recorded results against this workflow file instead of the recorded definition')
    .option('--current', 'replay against the run\'s own workflow file as it is now (local runs record it)')
    .option('--activities <module>', 'activity modules to validate --definition/--current against (repeatable; default: the run\'s, else activities/ beside the file)', repeatable)
    .option('--workflow-id <id>', 'the workflow id of a Temporal history file (a history does not hold it; runs with children need it)')
    .option('--json', 'print the trace and the verdict as JSON')
    .addHelpText(
      'after',
      `
The interpreter walks the definition again and every step is answered from the record:
no activity, timer or child runs, and nothing is written. Each step it emits is compared
with the recorded one (kind, activity, input, outcome, decision); the first difference is
reported. With the recorded definition, a difference means the current interpreter would
not repeat the run (a Revo upgrade changed behaviour). With --definition or --current, it
tells whether a changed workflow file is compatible with the run (e.g. before changing a
definition that runs are in flight on). A Temporal history is also replayed through the
workflow code itself, as Temporal would on a worker.

Exit codes: ${EXIT_CODES.ok} replays identically; ${EXIT_CODES.failed} diverges; ${EXIT_CODES.usage} unknown run, unreadable file, invalid definition or bad flags.

Examples:
  revo replay order-fulfilment-20261122-101500-k3f9
  revo history order-fulfilment-20261122-101500-k3f9 --json > run.json && revo replay run.json
  revo replay order-fulfilment-20261122-101500-k3f9 --current
  temporal workflow show -w <id> --output json > history.json && revo replay history.json --workflow-id <id>`,
    )
    .action(async (idOrFile: string, options: ReplayOptions) => {
      const [{ cliRevo, terminal }, { renderReplayText }] = await Promise.all([import('../cli-revo.js'), import('../render/replay-text.js')]);
      const revo = cliRevo(options, terminal());
      try {
        const verdict = await revo.replay(idOrFile, {
          ...(options.current && { current: true }),
          ...(options.definition !== undefined && { definition: options.definition }),
          ...(options.workflowId && { workflowId: options.workflowId }),
        });
        const { source, bundle, divergence, temporalProblem } = verdict;
        if (options.json) {
          const steps = verdict.replayed.steps.map(({ key, kind, status, activity, attempts }) => ({ key, kind, status, ...(activity !== undefined && { activity }), ...(attempts !== undefined && { attempts }) }));
          const report = { runId: source.runId, source: source.label, definition: verdict.definitionFile ?? 'recorded', hash: bundle.hash, identical: !divergence && !temporalProblem, divergence: divergence ?? null, ...(temporalProblem && { temporalProblem }), steps };
          await write(process.stdout, `${JSON.stringify(report, null, 2)}\n`);
        } else {
          const against = verdict.definitionFile ? `${verdict.definitionFile} (${bundle.hash.slice(0, 19)}…)` : `the recorded definition (${bundle.hash.slice(0, 19)}…)`;
          const report = { label: source.label, against, recorded: verdict.recorded, replayed: verdict.replayed, divergence, ...(temporalProblem && { temporalProblem }), notes: verdict.notes };
          await write(process.stdout, renderReplayText(report, { color: useColor(process.stdout) }));
        }
        process.exitCode = divergence || temporalProblem ? EXIT_CODES.failed : EXIT_CODES.ok;
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(command);
}
