import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import { addTemporalOptions } from '../temporal-options.js';
import type { TemporalFlags } from '../../temporal/connection.js';

interface RunOptions extends TemporalFlags {
  input?: string;
  inputFile?: string;
  engine: 'local' | 'temporal' | 'auto';
  activities?: string[];
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
    .option('--json', 'print the run record (DSL.md §8) instead of the output')
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

Exit codes: ${EXIT_CODES.ok} completed; ${EXIT_CODES.failed} failed or cancelled; ${EXIT_CODES.usage} bad file, input or flags.

Examples:
  revo run definitions/subscription-renewal.yaml --input '{"subscriptionId":"sub_123"}'
  revo run order.yaml --input-file order.json --activities src/activities.ts --json
  revo run definitions/order-fulfilment.yaml --input-file definitions/inputs/order-fulfilment.json --engine temporal`,
    )
    .action(async (file: string, options: RunOptions) => {
      if (options.engine === 'auto') throw new UsageError('the auto engine is not available in this version; use --engine local or --engine temporal');
      if (options.engine === 'temporal') {
        const [{ startOnTemporal }, { watchTemporalRun }] = await Promise.all([import('../start-temporal.js'), import('../watch-temporal-run.js')]);
        const { client, handle, workflow } = await startOnTemporal(file, options);
        if (!options.quiet) process.stderr.write(`revo: run ${handle.workflowId} started (${workflow}, Temporal engine)\n`);
        process.exitCode = await watchTemporalRun(client, handle, options);
        return;
      }
      const [{ prepareRun }, { terminalEngine, watchRun }] = await Promise.all([import('../prepare.js'), import('../watch-run.js')]);
      const prepared = await prepareRun(file, options);
      const { engine, view } = terminalEngine(prepared.activities, options);
      const { resolve } = await import('node:path');
      const run = engine.start({ bundle: prepared.bundle, input: prepared.input }, { origin: { file: resolve(file), activityModules: prepared.activityModules } });
      if (!options.quiet) process.stderr.write(`revo: run ${run.runId} started (${prepared.bundle.definition.name}, local engine)\n`);
      process.exitCode = await watchRun(run, view, options);
    });
  return addTemporalOptions(command);
}
