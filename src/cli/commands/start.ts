import { Command } from 'commander';
import type { TemporalFlags } from '../../temporal/connection.js';
import { EXIT_CODES } from '../exit-codes.js';
import { write } from '../output.js';
import { repeatable } from '../repeatable.js';
import { addPriorityOptions, priorityOf, type PriorityFlags } from '../priority-options.js';
import { addTemporalOptions } from '../temporal-options.js';

interface StartOptions extends TemporalFlags, PriorityFlags {
  input?: string;
  inputFile?: string;
  activities?: string[];
  catalog?: string[];
  workflowId?: string;
  json?: boolean;
}

export function startCommand(): Command {
  const command = new Command('start')
    .description('Start a workflow on Temporal and return at once, printing the run id.')
    .argument('<file>', 'the workflow file')
    .option('-i, --input <json>', 'the workflow input, as JSON')
    .option('--input-file <file>', 'read the input from a JSON or YAML file')
    .option('--activities <module>', 'activity definitions to validate the calls against (repeatable; default: activities/index.ts beside the file)', repeatable)
    .option('--catalog <file>', 'a JSON catalog of activities served elsewhere, e.g. by a Go worker on its own task queue (repeatable; docs/dsl.md#routing)', repeatable)
    .option('--workflow-id <id>', 'the Temporal workflow id (default: <workflow>-<time>-<random>); starting a second run with an id in use fails')
    .option('--json', 'print { runId, workflowId, firstExecutionRunId } as JSON')
    .addHelpText(
      'after',
      `
The file and its input are checked first; nothing starts when either is wrong. The run id
is the Temporal workflow id: use it with revo result, signal, query, cancel and history.

Exit codes: ${EXIT_CODES.ok} started; ${EXIT_CODES.usage} bad file, input or flags, or Temporal unreachable.

Examples:
  revo start definitions/approval-request.yaml --input-file definitions/inputs/approval-request.json
  RUN=$(revo start order.yaml -i '{"orderId":"o1","amount":5}') && revo result "$RUN"`,
    )
    .action(async (file: string, options: StartOptions) => {
      const [{ cliRevo, terminal }, { readInput }] = await Promise.all([import('../cli-revo.js'), import('../../load/input.js')]);
      const revo = cliRevo({ ...options, engine: 'temporal' }, terminal());
      try {
        const workflow = await revo.load(file);
        const input = await readInput(options);
        const priority = priorityOf(options);
        const run = (await revo.start(workflow, { input, trigger: 'cli', ...(options.workflowId && { runId: options.workflowId }), ...(priority && { priority }) })) as import('../../api/temporal-run-handle.js').TemporalRunHandle;
        const { firstExecutionRunId } = await run.describeRun();
        await write(process.stdout, options.json ? `${JSON.stringify({ runId: run.runId, workflowId: run.runId, firstExecutionRunId })}\n` : `${run.runId}\n`);
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(addPriorityOptions(command));
}
