import { Command } from 'commander';
import type { Json } from '../../../interpreter/model.js';
import { UsageError } from '../../errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import { write } from '../output.js';
import { addTemporalOptions } from '../temporal-options.js';
import type { TemporalFlags } from '../../temporal/connection.js';

export function signalCommand(): Command {
  const command = new Command('signal')
    .description('Send a signal to a run: a `wait` step takes it (signals are buffered, so one sent before the wait is kept).')
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .argument('<name>', 'the signal, as declared under `signals:` in the workflow')
    .argument('[payload]', 'the payload, as JSON (default: null)')
    .addHelpText(
      'after',
      `
The payload is checked against the signal's schema before anything is sent; a refused
signal changes nothing in the run. A local run that is not running now (killed, or
stopped with a second Ctrl-C) keeps the signal and receives it when \`revo resume <runId>\`
continues it. A run id that no local run has is a run on Temporal (see the connection flags).

Exit codes: ${EXIT_CODES.ok} sent; ${EXIT_CODES.usage} unknown run, undeclared signal, payload not JSON or not matching
the schema, or the run has already ended.

Examples:
  revo signal order-20260101-120000-k3f9 approve '{"by": "ann"}'
  revo signal order-2026 cancel-requested`,
    )
    .action(async (idOrPrefix: string, name: string, payloadText: string | undefined, options: TemporalFlags) => {
      const payload = parsePayload(payloadText);
      const { cliRevo, terminal } = await import('../cli-revo.js');
      const revo = cliRevo(options, terminal());
      try {
        const run = await revo.getRun(idOrPrefix);
        await run.signal(name, payload);
        const where = run.engine === 'temporal' ? ' on Temporal' : '';
        const held = run.engine === 'temporal' || (run as { held?: boolean }).held !== false;
        await write(
          process.stdout,
          held
            ? `sent signal "${name}" to run ${run.runId}${where}\n`
            : `signal "${name}" queued for run ${run.runId}, which is not running now; it will be delivered when the run is resumed with: revo resume ${run.runId}\n`,
        );
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(command);
}

function parsePayload(text: string | undefined): Json {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new UsageError(`the signal payload is not valid JSON (${(error as Error).message}): ${text}\n(quote it for the shell, e.g. '{"by": "ann"}'; a plain string needs JSON quotes too: '"ann"')`);
  }
}
