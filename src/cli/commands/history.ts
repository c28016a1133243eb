import { dirname } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { TemporalFlags } from '../../temporal/connection.js';
import { addTemporalOptions } from '../temporal-options.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';

interface HistoryOptions extends TemporalFlags {
  json?: boolean;
  html?: string;
  full?: boolean;
}

export function historyCommand(): Command {
  const command = new Command('history')
    .description('Show the record of a run: every step with its input, output, attempts and errors, the decisions taken, signals, compensations and the result.')
    .argument('<runId>', 'the run id (or a unique prefix of it)')
    .option('--json', 'print the run record (docs/history.md#the-run-record) as JSON, with the definition and events `revo replay` reads')
    .option('--full', 'print inputs, outputs and payloads whole instead of cut to one line')
    .option('--html <file>', 'write the run\'s timeline as one self-contained HTML page (- for stdout)')
    .addHelpText(
      'after',
      `
Works while the run is going on too: it shows the journal as written so far. A run the
journal says is running but no process holds shows as interrupted (continue it with
\`revo resume <runId>\`). A run id that no local run has is a run on Temporal: its record is
rebuilt by replaying its Temporal history (no worker needed), with the same fields.

--html writes a timeline page: a bar per step (and per attempt of a retried step, with
the retry errors), decisions, signals, compensations, logs and hand-overs between engines;
click anything for its input, output and error. One file with its style and script inside:
it loads nothing from the network, so it can be attached to a ticket as it is.

Exit codes: ${EXIT_CODES.ok} shown (whatever the run's status); ${EXIT_CODES.usage} unknown run id, unreadable journal, or a
page that cannot be written.

Examples:
  revo history order-20260101-120000-k3f9
  revo history order-2026 --full
  revo history order-20260101-120000-k3f9 --html run.html
  revo history order-20260101-120000-k3f9 --html - | gzip > run.html.gz
  revo history order-20260101-120000-k3f9 --json | jq '.steps[] | select(.status == "failed")'`,
    )
    .action(async (idOrPrefix: string, options: HistoryOptions) => {
      if (options.html === '') throw new UsageError('--html needs a file to write the page to (or - for stdout)');
      if (options.html !== undefined && options.json) throw new UsageError('--html and --json write different things: use one of them');
      const { cliRevo, terminal } = await import('../cli-revo.js');
      const revo = cliRevo(options, terminal());
      const run = await revo.history(idOrPrefix).finally(() => revo.close());
      if (options.html !== undefined) {
        const [{ historyExport }, { renderTimelinePage }] = await Promise.all([import('../../history/export.js'), import('../../history/html/page.js')]);
        const page = renderTimelinePage(historyExport(run.record, run.bundle, run.events));
        if (options.html === '-') await write(process.stdout, page);
        else {
          const file = options.html;
          const { writeFile } = await import('node:fs/promises');
          await writeFile(file, page).catch((error: NodeJS.ErrnoException) => {
            throw new UsageError(`cannot write the page to ${file}: ${whyNotWritten(error, file)}`);
          });
          process.stderr.write(`revo: wrote ${file} (open it in a browser; it loads nothing from the network)\n`);
        }
      } else if (options.json) {
        const { historyExport } = await import('../../history/export.js');
        await write(process.stdout, `${JSON.stringify(historyExport(run.record, run.bundle, run.events), null, 2)}\n`);
      } else {
        const { renderHistoryText } = await import('../render/history-text.js');
        await write(process.stdout, renderHistoryText(run.record, { color: useColor(process.stdout), held: run.held, full: options.full === true }));
      }
      if (run.cutOff) process.stderr.write(`revo: the journal of ${run.runId} ends in a partial line (its process was killed while writing); that line is not shown.\n`);
    });
  return addTemporalOptions(command);
}

/** Why a file could not be written, in words. */
function whyNotWritten(error: NodeJS.ErrnoException, file: string): string {
  switch (error.code) {
    case 'ENOENT':
      return `the directory ${dirname(file)} does not exist`;
    case 'ENOTDIR':
      return `${dirname(file)} is not a directory`;
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.message;
  }
}
