import { Command } from 'commander';
import { RunStore } from '../../local/store.js';
import type { TemporalFlags } from '../../temporal/connection.js';
import { addTemporalOptions } from '../temporal-options.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';
import { readLocalRun } from '../local-runs.js';
import { localRunId } from '../run-ids.js';

interface HistoryOptions extends TemporalFlags {
  json?: boolean;
  full?: boolean;
}

export function historyCommand(): Command {
  const command = new Command('history')
    .description('Show the record of a run: every step with its input, output, attempts and errors, the decisions taken, signals, compensations and the result.')
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .option('--json', 'print the run record (DSL.md §8) as JSON')
    .option('--full', 'print inputs, outputs and payloads whole instead of cut to one line')
    .addHelpText(
      'after',
      `
Works while the run is going on too: it shows the journal as written so far. A run the
journal says is running but no process holds shows as interrupted (continue it with
\`revo resume <runId>\`). A run id that no local run has is a run on Temporal: its record is
rebuilt by replaying its Temporal history (no worker needed), with the same fields.

Exit codes: ${EXIT_CODES.ok} shown (whatever the run's status); ${EXIT_CODES.usage} unknown run id or unreadable journal.

Examples:
  revo history order-20260101-120000-k3f9
  revo history order-2026 --full
  revo history order-20260101-120000-k3f9 --json | jq '.steps[] | select(.status == "failed")'`,
    )
    .action(async (idOrPrefix: string, options: HistoryOptions) => {
      const store = new RunStore();
      const runId = localRunId(store, idOrPrefix);
      const run = runId === undefined ? undefined : readLocalRun(store, runId);
      const record = run?.record ?? (await (await import('../temporal-runs.js')).temporalRunRecord(idOrPrefix, options));
      if (options.json) {
        await write(process.stdout, `${JSON.stringify(record, null, 2)}\n`);
      } else {
        const { renderHistoryText } = await import('../render/history-text.js');
        // A Temporal run is always held: by Temporal itself.
        const held = run ? run.holder !== undefined : true;
        await write(process.stdout, renderHistoryText(record, { color: useColor(process.stdout), held, full: options.full === true }));
      }
      if (run?.cutOff) process.stderr.write(`revo: the journal of ${run.runId} ends in a partial line (its process was killed while writing); that line is not shown.\n`);
    });
  return addTemporalOptions(command);
}
