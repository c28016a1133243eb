import { Command } from 'commander';
import { UsageError } from '../../errors.js';
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
      const [{ RunStore }, { whereRunIs }] = await Promise.all([import('../../local/store.js'), import('../../local/run-ids.js')]);
      const store = new RunStore();
      const { engine, runId } = whereRunIs(store, idOrPrefix);
      if (engine === 'temporal') {
        const { queryTemporalRun } = await import('../temporal-runs.js');
        return write(process.stdout, `${JSON.stringify((await queryTemporalRun(runId, name, options)) ?? null, null, 2)}\n`);
      }
      const snapshot = store.readState(runId) as import('../../local/engine.js').StateFile | undefined;
      if (snapshot === undefined) {
        throw new UsageError(`run ${runId} has no state snapshot (${store.statePath(runId)} is missing); \`revo resume ${runId}\` writes it again, \`revo history ${runId}\` shows the record`);
      }
      const declared = snapshot.queries ?? {};
      if (name !== 'state' && !Object.prototype.hasOwnProperty.call(declared, name)) {
        throw new UsageError(`run ${runId} (workflow "${snapshot.workflow}") has no query "${name}"; available: ${['state', ...Object.keys(declared)].join(', ')}`);
      }
      if (snapshot.state.status === 'running' && store.holder(runId) === undefined) {
        process.stderr.write(`revo: run ${runId} is not running now (interrupted); this is its state as of ${snapshot.updatedAt}. Continue it with: revo resume ${runId}\n`);
      }
      let answer: unknown;
      if (name === 'state') {
        answer = snapshot.state;
      } else {
        const [{ render }, { createScope }, { WorkflowError }] = await Promise.all([
          import('../../../interpreter/expressions.js'),
          import('../../../interpreter/scope.js'),
          import('../../../interpreter/errors.js'),
        ]);
        // The scope the interpreter evaluates queries against: the variables plus `input` and `workflow`.
        const scope = createScope({ ...snapshot.state.variables, input: snapshot.input, workflow: snapshot.workflowInfo });
        try {
          answer = render(declared[name], scope, `query ${name}`);
        } catch (error) {
          if (!(error instanceof WorkflowError)) throw error;
          process.stderr.write(`revo: query "${name}" of run ${runId} failed: ${error.type}: ${error.message}\n`);
          process.exitCode = EXIT_CODES.failed;
          return;
        }
      }
      await write(process.stdout, `${JSON.stringify(answer ?? null, null, 2)}\n`);
    });
  return addTemporalOptions(command);
}
