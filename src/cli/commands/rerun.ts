import { Command, Option } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import type { EngineChoice } from '../../api/revo.js';
import { addTemporalOptions } from '../temporal-options.js';

interface RerunOptions extends TemporalFlags {
  current?: boolean;
  engine?: EngineChoice;
  activities?: string[];
  workflowId?: string;
  json?: boolean;
  quiet?: boolean;
}

export function rerunCommand(): Command {
  const command = new Command('rerun')
    .description('Start a new run with the input and the definition of an earlier one, and follow it to its end.')
    .argument('<runId|file>', 'a run id (local or Temporal), a `revo history --json` export, or a Temporal history JSON file')
    .option('--current', 'use the run\'s workflow file as it is now instead of the recorded definition (the recorded input must still match its schema)')
    .addOption(new Option('-e, --engine <engine>', 'where to run it (default: where the earlier run ran)').choices(['local', 'temporal', 'auto']))
    .option('--activities <module>', 'activity modules (repeatable; default: the earlier run\'s, else activities/ beside its file)', repeatable)
    .option('--workflow-id <id>', 'the workflow id of a Temporal history file', undefined)
    .option('--json', 'print the new run\'s record instead of its output')
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
The new run is a run like any other, with its own id; its trigger says \`rerun:<runId>\`.
By default it uses the definition recorded with the earlier run — by value, so an edited
file changes nothing — which reproduces a run against today's services and data. With
--current it runs the file as it is now, to try a fix on the input that failed.

Exit codes: ${EXIT_CODES.ok} completed; ${EXIT_CODES.failed} failed or cancelled; ${EXIT_CODES.usage} unknown run, the recorded input no longer valid, or bad flags.

Examples:
  revo rerun order-fulfilment-20261122-101500-k3f9
  revo rerun order-fulfilment-20261122-101500-k3f9 --current --engine temporal
  revo rerun run.json --json`,
    )
    .action(async (idOrFile: string, options: RerunOptions) => {
      const [{ cliRevo, terminal }, { followRun }] = await Promise.all([import('../cli-revo.js'), import('../follow-run.js')]);
      const term = terminal(options.quiet);
      const { engine, ...flags } = options;
      const revo = cliRevo(flags, term);
      const run = await revo.rerun(idOrFile, { current: options.current === true, ...(engine && { engine }), ...(options.workflowId && { workflowId: options.workflowId }) });
      const said = engine === 'auto' ? undefined : `run ${run.runId} started (${run.workflow}, ${run.engine === 'local' ? 'local' : 'Temporal'} engine)`;
      process.exitCode = await followRun(revo, run, term, options, said);
    });
  return addTemporalOptions(command);
}
