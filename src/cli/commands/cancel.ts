import { Command } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { write } from '../output.js';
import { addTemporalOptions } from '../temporal-options.js';
import type { TemporalFlags } from '../../temporal/connection.js';

interface CancelOptions extends TemporalFlags {
  reason?: string;
}

export function cancelCommand(): Command {
  const command = new Command('cancel')
    .description('Cancel a run gracefully: its running steps stop, `finally` blocks and compensations run, and it ends cancelled.')
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .option('--reason <text>', 'why; recorded in the run history', 'cancelled with revo cancel')
    .addHelpText(
      'after',
      `
This asks for the cancellation and returns; follow the run with \`revo history <runId>\`.
A local run that is not running now (killed, or stopped with a second Ctrl-C) is
cancelled when \`revo resume <runId>\` continues it.

Exit codes: ${EXIT_CODES.ok} cancellation requested; ${EXIT_CODES.usage} unknown run, or the run has already ended.

Examples:
  revo cancel order-20260101-120000-k3f9
  revo cancel order-2026 --reason "customer withdrew the order"`,
    )
    .action(async (idOrPrefix: string, options: CancelOptions) => {
      const { cliRevo, terminal } = await import('../cli-revo.js');
      const revo = cliRevo(options, terminal());
      try {
        const run = await revo.getRun(idOrPrefix);
        const before = run.engine === 'local' ? await run.record() : undefined;
        await run.cancel(options.reason ?? 'cancelled with revo cancel');
        if (run.engine === 'temporal') {
          await write(process.stdout, `cancellation of run ${run.runId} requested on Temporal; it stops its running steps, runs its finally blocks and compensations, then ends cancelled (follow it with: revo result ${run.runId})\n`);
          return;
        }
        const again = before?.cancelRequested ? ` (it was already asked to cancel: ${before.cancelRequested.reason})` : '';
        await write(
          process.stdout,
          (run as { held?: boolean }).held !== false
            ? `cancellation of run ${run.runId} requested${again}; it stops its running steps, runs its finally blocks and compensations, then ends cancelled (follow it with: revo history ${run.runId})\n`
            : `cancellation of run ${run.runId} recorded${again}; the run is not running now, so it takes effect when it is resumed with: revo resume ${run.runId}\n`,
        );
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(command);
}
