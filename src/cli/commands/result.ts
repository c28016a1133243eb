import { Command } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { EXIT_CODES } from '../exit-codes.js';
import { addTemporalOptions } from '../temporal-options.js';

interface ResultOptions extends TemporalFlags {
  json?: boolean;
  quiet?: boolean;
}

export function resultCommand(): Command {
  const command = new Command('result')
    .description('Wait for a Temporal run to end, showing its progress, and print its output (or its error).')
    .argument('<runId>', 'the run id printed by `revo start` (the Temporal workflow id)')
    .option('--json', 'print the run record (docs/history.md#the-run-record) instead of the output')
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Leaving (Ctrl-C twice) does not stop the run; Ctrl-C once asks Temporal to cancel it.

Exit codes: ${EXIT_CODES.ok} completed; ${EXIT_CODES.failed} failed or cancelled; ${EXIT_CODES.usage} unknown run or Temporal unreachable.

Examples:
  revo result approval-request-20261122-101500-x7k2
  revo result approval-request-20261122-101500-x7k2 --json | jq .steps`,
    )
    .action(async (runId: string, options: ResultOptions) => {
      const [{ cliRevo, terminal }, { followRun }] = await Promise.all([import('../cli-revo.js'), import('../follow-run.js')]);
      const term = terminal(options.quiet);
      const revo = cliRevo(options, term);
      try {
        const run = await revo.getRun(runId);
        process.exitCode = await followRun(revo, run, term, options);
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(command);
}
