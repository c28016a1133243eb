import { Command } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { write } from '../output.js';
import { addTemporalOptions } from '../temporal-options.js';
import type { TemporalFlags } from '../../temporal/connection.js';

export function queryCommand(): Command {
  const command = new Command('query')
    .description("Ask a run a query: the built-in `state` (status, current steps, variables, completed step count) or one the workflow declares under `queries:`.")
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .argument('[name]', 'the query', 'state')
    .addHelpText(
      'after',
      `
The answer is printed as JSON. A local run's process keeps a snapshot of its state
(written as it waits, and a few times a second while it works); declared queries are
evaluated against that snapshot exactly as the interpreter evaluates them. A run that
has ended answers with its final state. A run on Temporal answers through a worker.

Exit codes: ${EXIT_CODES.ok} answered; ${EXIT_CODES.failed} the query's expression failed; ${EXIT_CODES.usage} unknown run or query.

Examples:
  revo query order-20260101-120000-k3f9
  revo query order-2026 progress | jq .percent`,
    )
    .action(async (idOrPrefix: string, name: string, options: TemporalFlags) => {
      const [{ cliRevo, terminal }, { LocalRunHandle }, { QueryFailedError }] = await Promise.all([import('../cli-revo.js'), import('../../api/local-run-handle.js'), import('../../errors.js')]);
      const revo = cliRevo(options, terminal());
      try {
        const run = await revo.getRun(idOrPrefix);
        if (run instanceof LocalRunHandle && !run.held) {
          const snapshot = run.snapshot();
          if (snapshot.state.status === 'running') {
            process.stderr.write(`revo: run ${run.runId} is not running now (interrupted); this is its state as of ${snapshot.updatedAt}. Continue it with: revo resume ${run.runId}\n`);
          }
        }
        let answer: unknown;
        try {
          answer = await run.query(name);
        } catch (error) {
          if (!(error instanceof QueryFailedError)) throw error;
          process.stderr.write(`revo: ${error.message}\n`);
          process.exitCode = EXIT_CODES.failed;
          return;
        }
        await write(process.stdout, `${JSON.stringify(answer ?? null, null, 2)}\n`);
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(command);
}
