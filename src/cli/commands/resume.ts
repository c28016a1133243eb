import { Command } from 'commander';
import { EXIT_CODES } from '../exit-codes.js';
import { repeatable } from '../repeatable.js';
import { addTemporalOptions } from '../temporal-options.js';
import type { TemporalFlags } from '../../temporal/connection.js';

interface ResumeOptions extends TemporalFlags {
  activities?: string[];
  acceptDamage?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function resumeCommand(): Command {
  const command = new Command('resume')
    .description('Continue a local run from its journal (after a crash, a kill or a second Ctrl-C).')
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .option('--activities <module>', 'activity modules, as given to `revo run` (repeatable)', repeatable)
    .option('--accept-damage', 'resume a damaged journal: cut it back to its last good line; what it recorded after that runs again')
    .option('--json', 'print the run record instead of the output')
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
The journal is replayed through the interpreter: completed activities, fired timers and
consumed signals are not repeated; the run then continues live. The definition recorded
when the run started is used, even if the file has changed since. A run that was handed
over to Temporal (--engine auto) is followed there instead (and its Temporal part is
started, if the process handing it over stopped before it could).

Every journal line carries a check: a journal that was damaged, edited or cut short is
refused, naming the line, rather than resumed into a wrong result. --accept-damage cuts
it back to the last good line and says which completed steps run again
(docs/reliability.md#damaged-journals).

Exit codes: ${EXIT_CODES.ok} completed; ${EXIT_CODES.failed} failed or cancelled; ${EXIT_CODES.usage} unknown run, run still running, or unusable journal.`,
    )
    .action(async (runId: string, options: ResumeOptions) => {
      const [{ cliRevo, terminal }, { followRun }] = await Promise.all([import('../cli-revo.js'), import('../follow-run.js')]);
      const term = terminal(options.quiet);
      const revo = cliRevo(options, term);
      const run = await revo.resume(runId, { ...(options.acceptDamage && { acceptDamage: true }) });
      try {
        process.exitCode = await followRun(revo, run, term, options, run.engine === 'local' ? `resuming run ${run.runId} (${run.workflow})` : undefined);
      } finally {
        await revo.close();
      }
    });
  return addTemporalOptions(command);
}
