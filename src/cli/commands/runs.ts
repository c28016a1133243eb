import { Command, InvalidArgumentError } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { addTemporalOptions } from '../temporal-options.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';

interface RunsOptions extends TemporalFlags {
  json?: boolean;
  limit: number;
  workflow?: string;
}

export function runsCommand(): Command {
  const command = new Command('runs')
    .description('List local runs, newest first: id, workflow, status, start, duration and steps done.')
    .option('--json', 'print the list as JSON')
    .option('-n, --limit <n>', 'show at most this many runs', positiveInteger, 20)
    .option('-w, --workflow <name>', 'only runs of this workflow')
    .addHelpText(
      'after',
      `
Runs live in $REVO_HOME/runs (default .revo/runs). Status is running, interrupted (the
journal says running but no process runs it: continue it with \`revo resume <runId>\`),
completed, failed or cancelled. A run handed over to Temporal (--engine auto) shows the
engine local→temporal and its status as Temporal has it (\`handed over\` when Temporal
cannot be reached now).

Exit codes: ${EXIT_CODES.ok} listed (even when there are none); ${EXIT_CODES.usage} bad flags.

Examples:
  revo runs
  revo runs --workflow order-fulfilment --limit 5
  revo runs --json | jq -r '.[] | select(.status == "interrupted") | .runId'`,
    )
    .action(async (options: RunsOptions) => {
      const [{ cliRevo, terminal }, { renderRunsTable }] = await Promise.all([import('../cli-revo.js'), import('../render/runs-table.js')]);
      const revo = cliRevo(options, terminal());
      const rows = await revo.listRuns({ limit: options.limit, ...(options.workflow !== undefined && { workflow: options.workflow }) }).finally(() => revo.close());
      for (const { runId, reason } of rows.skipped ?? []) process.stderr.write(`revo: skipping run ${runId}: ${reason}\n`);
      if (rows.temporalUnavailable) process.stderr.write(`revo: ${rows.temporalUnavailable}; the status of runs handed over to Temporal is unknown\n`);
      if (options.json) {
        await write(process.stdout, `${JSON.stringify([...rows], null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        const what = options.workflow !== undefined && revo.store.list().length > 0 ? `no runs of workflow "${options.workflow}"` : 'no runs yet';
        await write(process.stdout, `${what} in ${revo.store.runsDir}; start one with revo run <file>\n`);
        return;
      }
      let text = renderRunsTable(rows, { color: useColor(process.stdout) });
      const more = rows.more ?? 0;
      if (more > 0) {
        text += options.workflow === undefined
          ? `… and ${more} older run${more === 1 ? '' : 's'}; see ${more === 1 ? 'it' : 'them'} with --limit ${options.limit + more}\n`
          : `… and older runs of ${options.workflow}; see more with --limit ${options.limit * 2}\n`;
      }
      await write(process.stdout, text);
    });
  return addTemporalOptions(command);
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}
