import { statSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../../errors.js';
import type { RunRecord } from '../../history/record.js';
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
      const [{ RunStore }, { readLocalRun }, { displayStatus, between }, { renderRunsTable }] = await Promise.all([
        import('../../local/store.js'),
        import('../../local/stored-run.js'),
        import('../../text.js'),
        import('../render/runs-table.js'),
      ]);
      type RunRow = import('../render/runs-table.js').RunRow;
      const store = new RunStore();
      const temporal = handedOverRecords(options);
      const now = new Date().toISOString();
      const ids = newestFirst(store.list(), (id) => store.journalPath(id));
      const rows: RunRow[] = [];
      /** Runs left out by --limit: counted without a filter; with one, only whether there is another. */
      let more = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (rows.length >= options.limit && options.workflow === undefined) {
          more = ids.length - i;
          break;
        }
        let run: ReturnType<typeof readLocalRun>;
        try {
          run = readLocalRun(store, id);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          process.stderr.write(`revo: skipping run ${id}: ${error.message}\n`);
          continue;
        }
        if (options.workflow !== undefined && run.record.workflow !== options.workflow) continue;
        if (rows.length >= options.limit) {
          more = 1;
          break;
        }
        // A run handed over to Temporal goes on there: its record (the local part included) comes from Temporal.
        const handedOver = run.record.handovers.length > 0;
        const record = handedOver ? ((await temporal.record(id)) ?? run.record) : run.record;
        const status = handedOver && record === run.record ? 'handed over' : displayStatus(record.status, handedOver || run.holder !== undefined);
        const durationMs = between(record.startedAt, record.endedAt ?? (status === 'running' ? now : undefined));
        rows.push({
          runId: record.runId || id,
          workflow: record.workflow,
          ...(record.version !== undefined && { version: record.version }),
          status,
          engine: [record.handovers[0]?.from ?? record.engine, ...record.handovers.map((h) => h.to)].join('→'),
          ...(record.startedAt !== undefined && { startedAt: record.startedAt }),
          ...(record.endedAt !== undefined && { endedAt: record.endedAt }),
          ...(durationMs !== undefined && { durationMs }),
          // Counted as the `state` query counts completed steps: parallel branches are not steps.
          stepsDone: record.steps.filter((s) => (s.status === 'completed' || s.status === 'compensated') && s.kind !== 'branch').length,
          ...(record.parent !== undefined && { parent: record.parent }),
          ...(run.holder !== undefined && { pid: run.holder }),
        });
      }
      if (temporal.unreachable) process.stderr.write(`revo: ${temporal.unreachable}; the status of runs handed over to Temporal is unknown\n`);
      if (options.json) {
        await write(process.stdout, `${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) {
        const what = options.workflow !== undefined && ids.length > 0 ? `no runs of workflow "${options.workflow}"` : 'no runs yet';
        await write(process.stdout, `${what} in ${store.runsDir}; start one with revo run <file>\n`);
        return;
      }
      let text = renderRunsTable(rows, { color: useColor(process.stdout) });
      if (more > 0) {
        text += options.workflow === undefined
          ? `… and ${more} older run${more === 1 ? '' : 's'}; see ${more === 1 ? 'it' : 'them'} with --limit ${options.limit + more}\n`
          : `… and older runs of ${options.workflow}; see more with --limit ${options.limit * 2}\n`;
      }
      await write(process.stdout, text);
    });
  return addTemporalOptions(command);
}

/** Records of runs handed over to Temporal, read from there (Temporal is asked at most until it fails once). */
function handedOverRecords(flags: TemporalFlags): { record(runId: string): Promise<RunRecord | undefined>; unreachable?: string } {
  const records = {
    unreachable: undefined as string | undefined,
    async record(runId: string): Promise<RunRecord | undefined> {
      if (records.unreachable !== undefined) return undefined;
      try {
        const { temporalRunHistory } = await import('../temporal-runs.js');
        return (await temporalRunHistory(runId, flags)).record;
      } catch (error) {
        records.unreachable = (error as Error).message.split('\n')[0];
        return undefined;
      }
    },
  };
  return records;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
  return n;
}

/**
 * Run ids sorted by when the run started, newest first. Ids made by the run store end in
 * their UTC start time (`<workflow>-YYYYMMDD-HHMMSS-xxxx`), so no journal has to be read
 * to sort; an id without one sorts by its journal's last change instead.
 */
function newestFirst(ids: string[], journalPath: (id: string) => string): string[] {
  const keyed = ids.map((id, position) => ({ id, position, at: startStamp(id) ?? modified(journalPath(id)) }));
  keyed.sort((a, b) => b.at - a.at || a.position - b.position);
  return keyed.map((k) => k.id);
}

function startStamp(id: string): number | undefined {
  const m = /-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[a-z0-9]{4}$/.exec(id);
  if (!m) return undefined;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(at) ? at : undefined;
}

function modified(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
