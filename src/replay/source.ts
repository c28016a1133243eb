/**
 * What `revo replay` and `revo rerun` start from: a run id (a local journal, or a
 * Temporal run, fetched), a `revo history --json` export, or a Temporal history JSON
 * file (`temporal workflow show --output json`, or the Web UI's download).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { UsageError } from '../errors.js';
import type { ArchivedRun } from '../local/archive.js';
import { HISTORY_FORMAT, type HistoryExport } from '../history/export.js';
import type { RunOrigin } from '../local/engine.js';
import { readLocalRun } from '../local/stored-run.js';
import { localRunId } from '../local/run-ids.js';
import type { Revo } from '../api/revo.js';

export interface ReplaySource {
  /** What was read, for the report: `run <id> (local journal)`, `file <path> (Temporal history)`… */
  label: string;
  runId: string;
  /** Where the run ran (ended, or runs now): a rerun goes there unless told otherwise. */
  engine: 'local' | 'temporal';
  bundle: WorkflowBundle;
  input: Json;
  events: HistoryEvent[];
  origin?: RunOrigin;
  /**
   * For a Temporal history: whether the current workflow code replays it (Temporal's own
   * determinism check, command by command), and why not.
   */
  temporalReplay?: { ok: true } | { ok: false; problem: string };
}

export interface SourceOptions {
  /** The workflow id of a raw Temporal history file (it does not hold it; children's ids depend on it). */
  workflowId?: string;
}

export async function replaySource(revo: Revo, idOrFile: string, options: SourceOptions = {}): Promise<ReplaySource> {
  if (looksLikeFile(idOrFile)) return fileSource(idOrFile, options);
  const { store } = revo;
  const localId = localRunId(store, idOrFile);
  const local = localId === undefined ? undefined : readLocalRun(store, localId);
  if (local && local.record.handovers.length === 0) {
    return {
      label: `run ${local.runId} (local journal)`,
      runId: local.runId,
      engine: 'local',
      bundle: local.head.request.bundle,
      input: local.head.request.input,
      events: local.events,
      ...(local.head.origin && { origin: local.head.origin }),
    };
  }
  const runId = localId ?? idOrFile;
  // Archived, the run has closed for good: the archive holds its whole history, whether Temporal still has it (within its retention) or not.
  const archived = revo.archive.read(runId);
  if (archived) return archivedSource(runId, archived, local?.head.origin);
  const run = await revo.temporalRun(runId);
  const [{ fetchHistories }, client] = await Promise.all([import('../temporal/history.js'), run.client()]);
  const [histories, argument] = await Promise.all([revo.temporal.retry.call(() => fetchHistories(client, runId), { runId }), run.startArgument()]);
  return {
    label: `run ${runId} (Temporal history${histories.length > 1 ? `, ${histories.length} runs through continue-as-new` : ''})`,
    runId,
    engine: 'temporal',
    bundle: argument.bundle,
    input: argument.input,
    ...(await temporalEvents(runId, histories)),
    ...(local?.head.origin && { origin: local.head.origin }),
  };
}

/** An archived Temporal run (docs/history.md#retention-and-the-archive): replayed from its histories as a live one is. */
async function archivedSource(runId: string, archived: ArchivedRun, origin: RunOrigin | undefined): Promise<ReplaySource> {
  const { historyFromJSON } = await import('@temporalio/common/lib/proto-utils.js');
  const histories = archived.archive.histories.map(({ runId: id, history }) => ({ runId: id, history: historyFromJSON(history) }));
  return {
    label: `run ${runId} (archived Temporal history${histories.length > 1 ? `, ${histories.length} runs through continue-as-new` : ''})`,
    runId,
    engine: 'temporal',
    bundle: archived.bundle,
    input: archived.archive.input,
    ...(await temporalEvents(runId, histories)),
    ...(origin && { origin }),
  };
}

function looksLikeFile(arg: string): boolean {
  return arg.endsWith('.json') || arg.includes('/') || arg.includes('\\') || existsSync(arg);
}

async function fileSource(file: string, options: SourceOptions): Promise<ReplaySource> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON; give a run id, a \`revo history <runId> --json\` export, or a Temporal history (\`temporal workflow show --output json\`)`);
  }
  const exported = data as Partial<HistoryExport>;
  if (exported?.format === HISTORY_FORMAT) {
    if (!exported.bundle?.definition || !Array.isArray(exported.events)) throw new UsageError(`${file} is a Revo history export without its definition or events; export it again with: revo history <runId> --json`);
    const engine = exported.engine === 'temporal' ? 'temporal' : 'local';
    return { label: `file ${file} (Revo history export)`, runId: exported.runId ?? '', engine, bundle: exported.bundle, input: (exported.trigger?.input ?? null) as Json, events: exported.events };
  }
  const history = temporalHistoryIn(data);
  if (!history) {
    throw new UsageError(`${file} is neither a Revo history export (\`revo history <runId> --json\`) nor a Temporal history (\`temporal workflow show --output json\`)`);
  }
  const [{ historyFromJSON }, { defaultPayloadConverter }] = await Promise.all([import('@temporalio/common/lib/proto-utils.js'), import('@temporalio/common')]);
  let parsed: ReturnType<typeof historyFromJSON>;
  try {
    parsed = historyFromJSON(history);
  } catch (error) {
    throw new UsageError(`${file} is not a readable Temporal history: ${(error as Error).message}`);
  }
  const started = parsed.events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  const argument = payload ? defaultPayloadConverter.fromPayload<{ bundle?: WorkflowBundle; input?: Json }>(payload) : undefined;
  if (!argument?.bundle?.definition) throw new UsageError(`${file} is a Temporal history, but not of a Revo run (its first event does not carry a Revo definition)`);
  const workflowId = options.workflowId ?? (data as { workflowId?: string }).workflowId ?? 'replayed-history';
  return {
    label: `file ${file} (Temporal history)`,
    runId: workflowId,
    engine: 'temporal',
    bundle: argument.bundle,
    input: argument.input ?? null,
    // The workflow reports its events under its Temporal run id, which the history's first event holds.
    ...(await temporalEvents(workflowId, [{ runId: started?.originalExecutionRunId || started?.firstExecutionRunId || workflowId, history: parsed }])),
  };
}

/** The `events` of a Temporal history JSON: the file itself, or under `history` (as Revo's fixtures keep them). */
function temporalHistoryIn(data: unknown): { events: unknown[] } | undefined {
  const candidate = (data as { history?: unknown })?.history ?? data;
  const events = (candidate as { events?: unknown })?.events;
  return Array.isArray(events) && events.length > 0 && typeof (events[0] as { eventType?: unknown })?.eventType !== 'undefined' ? (candidate as { events: unknown[] }) : undefined;
}

/** The events the workflow code reports while replaying the histories; a replay failure is Temporal's determinism check failing. */
async function temporalEvents(workflowId: string, histories: Parameters<typeof import('../temporal/history.js').replayEvents>[1]): Promise<Pick<ReplaySource, 'events' | 'temporalReplay'>> {
  const { replayEvents } = await import('../temporal/history.js');
  try {
    return { events: await replayEvents(workflowId, histories), temporalReplay: { ok: true } };
  } catch (error) {
    return { events: [], temporalReplay: { ok: false, problem: (error as Error).message } };
  }
}
