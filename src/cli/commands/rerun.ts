import { Command, Option } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import type { EngineChoice } from '../../api/revo.js';
import { addTemporalOptions } from '../temporal-options.js';

interface RerunOptions extends TemporalFlags {
  current?: boolean;
  definition?: string;
  from?: string;
  engine?: EngineChoice;
  activities?: string[];
  workflowId?: string;
  json?: boolean;
  quiet?: boolean;
}

export function rerunCommand(): Command {
  const command = new Command('rerun')
    .description('Start a new run with the input and the definition of an earlier one (optionally from one of its steps, reusing the steps before it), and follow it to its end.')
    .argument('<runId|file>', 'a run id (local or Temporal), a `revo history --json` export, or a Temporal history JSON file')
    .option('--from <step>', 'start from this step: a step id, or a step instance key such as \'lines[2]/ship\' (see docs/replay.md#re-run-from-a-step); the steps before it are answered from the earlier run')
    .option('--current', 'use the run\'s workflow file as it is now instead of the recorded definition (the recorded input must still match its schema)')
    .option('--definition <file>', 'use this workflow file instead of the recorded definition (the recorded input must still match its schema)')
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
--current it runs the file as it is now (--definition: another file), to try a fix on
the input that failed.

With --from <step> the new run does not repeat the steps before that step: they are
answered from the earlier run's record (no activity, timer, signal wait or child runs
for them; they are marked "reused" in its history), and the run goes live from the
step on — on either engine, whichever the earlier run used. Its trigger says
\`rerun:<runId>@<step>\`. With --current or --definition, the steps before it must be
taken exactly as recorded (the replay check decides), else nothing runs and the first
differing step is named. The earlier run must have ended. What "before" means inside
parallel, foreach and while: docs/replay.md#re-run-from-a-step.

Exit codes: ${EXIT_CODES.ok} completed; ${EXIT_CODES.failed} failed or cancelled; ${EXIT_CODES.usage} unknown run, the recorded input no longer valid, a step that cannot be re-run from (unknown, not reached, the run not ended, the definition differing before it), or bad flags.

Examples:
  revo rerun order-fulfilment-20261122-101500-k3f9
  revo rerun order-fulfilment-20261122-101500-k3f9 --current --engine temporal
  revo rerun order-fulfilment-20261122-101500-k3f9 --from ship --current
  revo rerun order-fulfilment-20261122-101500-k3f9 --from 'lines[2]/ship' --definition fixed.yaml
  revo rerun run.json --json`,
    )
    .action(async (idOrFile: string, options: RerunOptions) => {
      const [{ cliRevo, terminal }, { followRun }] = await Promise.all([import('../cli-revo.js'), import('../follow-run.js')]);
      const term = terminal(options.quiet);
      const { engine, ...flags } = options;
      const revo = cliRevo(flags, term);
      const run = await revo.rerun(idOrFile, {
        current: options.current === true,
        ...(options.definition !== undefined && { definition: options.definition }),
        ...(options.from !== undefined && { from: options.from }),
        ...(engine && { engine }),
        ...(options.workflowId && { workflowId: options.workflowId }),
      });
      const said = engine === 'auto' ? undefined : `run ${run.runId} started (${run.workflow}, ${run.engine === 'local' ? 'local' : 'Temporal'} engine)`;
      process.exitCode = await followRun(revo, run, term, options, said);
    });
  return addTemporalOptions(command);
}
