import { Command, Option } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import { addPriorityOptions, priorityOf, type PriorityFlags } from '../priority-options.js';
import { addTemporalOptions } from '../temporal-options.js';
import type { EngineChoice } from '../../api/revo.js';
import type { TemporalFlags } from '../../temporal/connection.js';

interface RunOptions extends TemporalFlags, PriorityFlags {
  input?: string;
  inputFile?: string;
  engine: EngineChoice;
  activities?: string[];
  catalog?: string[];
  json?: boolean;
  quiet?: boolean;
}

export function runCommand(): Command {
  const command = new Command('run')
    .description('Run a workflow to its end, showing step progress.')
    .argument('<file>', 'the workflow file')
    .option('-i, --input <json>', 'the workflow input, as JSON')
    .option('--input-file <file>', 'read the input from a JSON or YAML file')
    .addOption(new Option('-e, --engine <engine>', 'where to run it').choices(['local', 'temporal', 'auto']).default('local'))
    .option('--activities <module>', 'a TypeScript or JavaScript module exporting activity definitions (repeatable)', repeatable)
    .option('--catalog <file>', 'a JSON catalog of activities served elsewhere, e.g. by a Go worker on its own task queue (repeatable; docs/dsl.md#routing)', repeatable)
    .option('--json', 'print the run record (docs/history.md#the-run-record) instead of the output')
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
The input is checked against the workflow's input schema before anything runs.
Activities: --activities, else activities/index.ts (or .js) beside the workflow file.
Local runs are journaled in $REVO_HOME/runs (default .revo/runs): Ctrl-C once cancels
the run (compensations run), twice stops at once and \`revo resume <runId>\` continues it.
With --engine temporal the run starts on Temporal (a \`revo worker\` or \`revo dev\` must be
running) and its progress is followed from there: Ctrl-C once cancels it, twice leaves it
running on Temporal (\`revo result <runId>\` waits for it again).
With --engine auto the run goes to Temporal when it answers and a worker polls the task
queue; otherwise it runs locally, and at step boundaries Revo checks again (with backoff):
once Temporal can take it, the run moves there, under the same run id, without repeating
a completed step.

Exit codes: ${EXIT_CODES.ok} completed; ${EXIT_CODES.failed} failed or cancelled; ${EXIT_CODES.usage} bad file, input or flags.

Examples:
  revo run definitions/subscription-renewal.yaml --input '{"subscriptionId":"sub_123"}'
  revo run order.yaml --input-file order.json --activities src/activities.ts --json
  revo run definitions/order-fulfilment.yaml --input-file definitions/inputs/order-fulfilment.json --engine temporal
  revo run definitions/order-fulfilment.yaml --input-file definitions/inputs/order-fulfilment.json --engine auto`,
    )
    .action(async (file: string, options: RunOptions) => {
      const [{ cliRevo, terminal }, { readInput }, { startAndFollow }] = await Promise.all([import('../cli-revo.js'), import('../../load/input.js'), import('../start-and-follow.js')]);
      const term = terminal(options.quiet);
      const revo = cliRevo(options, term);
      const workflow = await revo.load(file);
      const input = await readInput(options);
      const priority = priorityOf(options);
      process.exitCode = await startAndFollow(revo, workflow, { input, trigger: 'cli', ...(priority && { priority }) }, term, options);
    });
  return addTemporalOptions(addPriorityOptions(command));
}
