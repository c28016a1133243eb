import { Command, InvalidArgumentError, Option } from 'commander';
import { pointInTime as parsePointInTime, type RunFilter } from '../../api/list-runs.js';
import type { TemporalFlags } from '../../temporal/connection.js';
import { addTemporalOptions } from '../temporal-options.js';
import { EXIT_CODES } from '../exit-codes.js';
import { useColor, write } from '../output.js';

/** The flags: the API's filters, as commander parses them. */
interface RunsOptions extends TemporalFlags, Omit<RunFilter, 'limit'> {
  json?: boolean;
  archive?: boolean;
  limit: number;
}

const STATUSES = ['running', 'interrupted', 'completed', 'failed', 'cancelled', 'handed over'];

export function runsCommand(): Command {
  const command = new Command('runs')
    .description('List runs on every engine, newest first: id, workflow, status, engine, start, duration and steps done.')
    .option('--json', 'print the list as JSON')
    .option('-n, --limit <n>', 'show at most this many runs', positiveInteger, 20)
    .option('-w, --workflow <name>', 'only runs of this workflow')
    .addOption(new Option('-s, --status <status>', 'only runs with this status').choices(STATUSES))
    .addOption(new Option('-e, --engine <engine>', 'only runs on this engine now').choices(['local', 'temporal']))
    .option('--error-type <type>', 'only runs that failed with this error type (e.g. PaymentDeclined)')
    .option('--since <when>', 'only runs started since then: a duration back from now (2h, 7d) or a date (2026-12-01, an ISO time)', pointInTime)
    .option('--until <when>', 'only runs started before then (same forms as --since)', pointInTime)
    .option('--search <text>', 'only runs whose id, workflow or error message contains the text (local runs: their input too)')
    .option('--archive', 'first save the records of the closed Temporal runs that match the filters into $REVO_HOME/archive, so they outlive Temporal\'s retention (docs/history.md#retention-and-the-archive)')
    .addHelpText(
      'after',
      `
Local runs live in $REVO_HOME/runs (default .revo/runs); runs on Temporal come from its
visibility API when Temporal answers (see the connection flags), else a note says they
are missing. Status is running, interrupted (the journal says running but no process runs
it: continue it with \`revo resume <runId>\`), completed, failed or cancelled. A run
handed over to Temporal (--engine auto) shows the engine local→temporal and its status as
Temporal has it (\`handed over\` when Temporal cannot be reached now). STEPS is \`-\` for a
Temporal run (\`revo history <runId>\` shows them). With --archive, every closed Temporal
run that matches the filters (not only the first --limit) is saved into $REVO_HOME/archive
unless it is there already; once Temporal has deleted a run, the list shows it from there
with the engine \`temporal (archived)\`, and history, replay, rerun and ui find it there
(docs/history.md#retention-and-the-archive). Local runs are read from an index
($REVO_HOME/runs/index.json), a cache of their journals that rebuilds itself when it is
missing or stale (docs/running-locally.md#the-run-index).

Exit codes: ${EXIT_CODES.ok} listed (even when there are none); ${EXIT_CODES.usage} bad flags, or --archive when Temporal cannot be reached (nothing is archived).

Examples:
  revo runs
  revo runs --workflow order-fulfilment --limit 5
  revo runs --status failed --since 24h --error-type PaymentDeclined
  revo runs --engine temporal --search o-1234
  revo runs --archive --engine temporal
  revo runs --json | jq -r '.[] | select(.status == "interrupted") | .runId'`,
    )
    .action(async (options: RunsOptions) => {
      const [{ cliRevo, terminal }, { renderRunsTable }] = await Promise.all([import('../cli-revo.js'), import('../render/runs-table.js')]);
      const revo = cliRevo(options, terminal());
      const { json: _json, limit, workflow, status, engine, errorType, since, until, search } = options;
      const filter = { limit, workflow, status, engine, errorType, since, until, search };
      const given = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
      const rows = await (async () => {
        if (options.archive) {
          const { limit: _limit, ...which } = given;
          const report = await revo.archiveRuns(which);
          for (const { runId, reason } of report.failed) process.stderr.write(`revo: could not archive run ${runId}: ${reason}\n`);
          process.stderr.write(`revo: archived ${report.archived.length} closed Temporal run${report.archived.length === 1 ? '' : 's'} into ${report.dir}${report.already.length > 0 ? ` (${report.already.length} archived already)` : ''}\n`);
        }
        return revo.listRuns(given);
      })().finally(() => revo.close());
      for (const { runId, reason } of rows.skipped ?? []) process.stderr.write(`revo: skipping run ${runId}: ${reason}\n`);
      if (rows.temporalUnavailable) process.stderr.write(`revo: ${rows.temporalUnavailable}; runs on Temporal are not listed, and the status of runs handed over to it is unknown\n`);
      if (options.json) {
        await write(process.stdout, `${JSON.stringify([...rows], null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        const narrowed = Object.entries(filter).some(([key, value]) => key !== 'limit' && value !== undefined);
        const what = narrowed && revo.store.list().length > 0 ? (options.workflow !== undefined ? `no runs of workflow "${options.workflow}"` : 'no runs match') : 'no runs yet';
        await write(process.stdout, `${what} in ${revo.store.runsDir}; start one with revo run <file>\n`);
        return;
      }
      let text = renderRunsTable(rows, { color: useColor(process.stdout) });
      const more = rows.more ?? 0;
      if (more > 0) {
        const narrowed = Object.entries(filter).some(([key, value]) => key !== 'limit' && value !== undefined);
        text += !narrowed
          ? `… and ${more} older run${more === 1 ? '' : 's'}; see ${more === 1 ? 'it' : 'them'} with --limit ${options.limit + more}\n`
          : `… and older runs${options.workflow !== undefined ? ` of ${options.workflow}` : ' that match'}; see more with --limit ${options.limit * 2}\n`;
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

/** `2h`, `7d` (back from now) or a date / ISO time. */
function pointInTime(value: string): Date {
  const at = parsePointInTime(value);
  if (at === undefined) throw new InvalidArgumentError('expected a duration back from now (30m, 2h, 7d) or a date (2026-12-01, 2026-12-01T09:00:00Z).');
  return at;
}
