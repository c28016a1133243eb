/**
 * The API for code (docs/api.md): load and validate a workflow, start it on an engine,
 * find a run wherever it runs now, list, resume. Every `revo` command that runs or talks
 * to a run is a thin shell over this class. It never writes to the terminal (notices
 * go to `onNotice`) and never exits the process.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { PRIORITY_KEY_MAX, PRIORITY_KEY_MIN, startPriority, type EffectivePriority } from '../../interpreter/options.js';
import { WorkflowError } from '../../interpreter/errors.js';
import { activityModules } from '../activities/modules.js';
import type { ActivityDefinition, ActivitySpec, Catalog } from '../activities/types.js';
import { BUILTIN_ACTIVITIES } from '../activities/builtins/index.js';
import { loadActivityModule, loadCatalogFile } from '../activities/catalog.js';
import { RunEndedError, RunNotFoundError, UsageError } from '../errors.js';
import type { Clock } from '../local/clock.js';
import type { LocalEngine, LocalRun, RunOrigin } from '../local/engine.js';
import { JournalCorruptError } from '../local/journal.js';
import { journalHead, readRunJournal } from '../local/stored-run.js';
import { findRun, localRunId } from '../local/run-ids.js';
import { RunLockedError, RunStore } from '../local/store.js';
import { RunArchive } from '../local/archive.js';
import type { ArchiveReport } from './archive-runs.js';
import { journalEvents } from '../sandboxed/facts.js';
import { listRuns, type RunFilter, type RunList } from './list-runs.js';
import type { LiveEvents, LocalRunHandle } from './local-run-handle.js';
import type { RunHandle } from './run-handle.js';
import { TemporalConnection, type TemporalOptions } from './temporal-connection.js';
import type { TemporalRunHandle } from './temporal-run-handle.js';
import type { RunHistory } from './run-history.js';
import type { RunRecord } from '../history/record.js';
import type { Divergence } from '../replay/divergence.js';
import type { ReplaySource } from '../replay/source.js';
import type { ReusePlan } from '../sandboxed/reuse.js';

export type EngineChoice = 'local' | 'temporal' | 'auto';

export interface RevoOptions {
  /** Where `start` runs a workflow: `local` (default), `temporal`, or `auto` (Temporal when it can take the run). */
  engine?: EngineChoice;
  /** Where local runs are journaled (REVO_HOME, default `.revo`). */
  home?: string;
  /**
   * Activity definitions, or paths of modules exporting them. Default: for each workflow
   * file, the `activities/index.ts` (or .js) beside it. The built-ins are always there.
   */
  activities?: (ActivityDefinition | string)[];
  /**
   * Activities implemented elsewhere, that runs may call but this process cannot run: specs,
   * or paths of JSON catalogs (`revo catalog` output or hand-written; an entry marked
   * `"external": true` is served on its `taskQueue`, docs/dsl.md#routing). An entry
   * replaces an activity of the same name.
   */
  catalogs?: (ActivitySpec | string)[];
  temporal?: TemporalOptions;
  /** Things worth telling a user (no worker polls the queue, a run moved to Temporal…); Revo prints nothing itself. */
  onNotice?: (notice: string) => void;
  /** The local engine's clock (tests use a virtual one). */
  clock?: Clock;
  /**
   * How long a journal write the disk refuses (full, read-only…) is retried before the
   * run stops, resumable (ms; default 60 s; docs/reliability.md#storage-faults).
   */
  storageRetry?: number;
  /**
   * How long a Temporal server that went away is waited for before a call gives up with
   * TemporalGoneError (ms; default 5 min; docs/reliability.md#temporal-server-restarts).
   * A run on Temporal is not affected by a client giving up.
   */
  temporalRetry?: number;
}

export interface ResumeOptions {
  /**
   * Resume a damaged journal anyway: it is cut back to its last good line, and the steps
   * recorded after that line run again (docs/reliability.md#damaged-journals).
   */
  acceptDamage?: boolean;
}

/** A workflow ready to start: validated, its definition and children bundled by value. */
export interface Workflow {
  readonly name: string;
  readonly bundle: WorkflowBundle;
  /** The file it was loaded from (a resume and `rerun --current` read it again). */
  readonly file?: string;
  /** The activity modules its runs load (absolute paths), recorded so a resume loads the same. */
  readonly activityModules: string[];
}

export interface StartOptions {
  input?: Json;
  /** Overrides the instance's engine for this run. */
  engine?: EngineChoice;
  /** Who or what starts it, recorded as the trigger (default `api`). */
  trigger?: string;
  /** The run id to use (on Temporal, the workflow id); default: `<workflow>-<time>-<random>`. */
  runId?: string;
  /**
   * The run's priority and fairness on Temporal, over the definition's `priority` field by
   * field (docs/dsl.md#priority). The local engine orders nothing by it.
   */
  priority?: RunPriority;
}

/** A run's priority as given at start: `key` 1 (first) to 5 (last), a fairness key and its weight. */
export type RunPriority = EffectivePriority;

export interface ReplayOptions {
  /** Replay against the run's own file as it is now. */
  current?: boolean;
  /** Replay against this workflow file. */
  definition?: string;
  /** The workflow id of a raw Temporal history file (it does not hold its own). */
  workflowId?: string;
}

export interface RerunOptions extends ReplayOptions {
  engine?: EngineChoice;
  /**
   * Re-run from this step (docs/replay.md#re-run-from-a-step): a step id, or a step
   * instance key such as `lines[2]/ship`. The steps before it are answered from the
   * recorded run (nothing runs for them) and the new run goes live from it. A step that
   * does not exist or was not reached, a run that has not ended, or a definition that
   * would take the steps before it otherwise throws RerunRefusedError, and no run starts.
   */
  from?: string;
}

/** What `start` takes besides StartOptions when `rerun` starts a run from a step. */
interface StartFromStep extends StartOptions {
  reuse?: ReusePlan;
}

/** Temporal refuses a start argument over 2 MB; the steps to reuse travel in it with the definition. */
const MAX_REUSE_BYTES = 1_500_000;

/** What a replay found (docs/replay.md). */
export interface ReplayVerdict {
  source: ReplaySource;
  /** The file replayed against, when not the recorded definition. */
  definitionFile?: string;
  bundle: WorkflowBundle;
  recorded: RunRecord;
  replayed: RunRecord;
  /** The first step where the replay and the recording part ways. */
  divergence?: Divergence;
  /** Temporal's own determinism check failed on the run's history. */
  temporalProblem?: string;
  notes: string[];
}

/**
 * The local engine and its handle, loaded on first use: a run on Temporal (found to signal
 * it, say) needs neither, nor the schema checks and OpenTelemetry they bring.
 */
interface LocalModules {
  engine: typeof import('../local/engine.js');
  handle: typeof import('./local-run-handle.js');
}
let localModules: LocalModules | undefined;

async function loadLocal(): Promise<LocalModules> {
  if (!localModules) {
    const [engine, handle] = await Promise.all([import('../local/engine.js'), import('./local-run-handle.js')]);
    localModules = { engine, handle };
  }
  return localModules;
}

/** The local modules, for the synchronous paths that come after a loadLocal(). */
function local(): LocalModules {
  if (!localModules) throw new Error('the local engine is used before it was loaded (loadLocal)');
  return localModules;
}

export class Revo {
  readonly store: RunStore;
  /** The records of closed Temporal runs kept under `$REVO_HOME/archive` (docs/history.md#retention-and-the-archive). */
  readonly archive: RunArchive;
  private readonly temporalConnection: TemporalConnection;
  private readonly activities = new Map<string, ActivityDefinition>(BUILTIN_ACTIVITIES.map((d) => [d.name, d]));
  private readonly given: { modules: string[]; definitions: ActivityDefinition[] } | undefined;
  private readonly loadedModules = new Set<string>();
  private catalogSpecs: Promise<ActivitySpec[]> | undefined;
  private engineCache: LocalEngine | undefined;
  /** Runs this process drives, with their events as written. */
  private readonly live = new Map<LocalRun, LiveEvents>();
  private readonly eventListeners = new Map<LocalRun, Set<(event: HistoryEvent) => void>>();
  private closed = false;

  constructor(readonly options: RevoOptions = {}) {
    this.store = new RunStore(options.home);
    this.archive = new RunArchive(options.home);
    this.temporalConnection = new TemporalConnection(options.temporal, process.env, {
      ...(options.temporalRetry !== undefined && { retryForMs: options.temporalRetry }),
      onStatus: (text) => this.notice(text),
    });
    if (options.activities) {
      const modules = options.activities.filter((a): a is string => typeof a === 'string').map((m) => resolve(m));
      const definitions = options.activities.filter((a): a is ActivityDefinition => typeof a !== 'string');
      this.given = { modules, definitions };
      for (const d of definitions) this.activities.set(d.name, d);
    }
  }

  get engine(): EngineChoice {
    return this.options.engine ?? 'local';
  }

  /** The shared Temporal connection of this instance (connected on first use). */
  get temporal(): TemporalConnection {
    return this.temporalConnection;
  }

  notice(text: string): void {
    this.options.onNotice?.(text);
  }

  // -- workflows ----------------------------------------------------------------

  /**
   * Loads, validates and bundles a workflow file and the child workflows it uses, with
   * its activities. A file with errors throws ValidationError (with `.diagnostics`).
   */
  async load(file: string): Promise<Workflow> {
    if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
    const modules = this.modulesFor(file);
    await this.loadModules(modules);
    // Loaded here, not at the top: the validator, YAML and the schema checks are most of
    // the API's load, and finding a run (to signal it, say) needs none of them.
    const { bundleWorkflow } = await import('../load/bundle-workflow.js');
    const bundle = await bundleWorkflow(file, await this.catalog());
    return { name: bundle.definition.name, bundle, file: resolve(file), activityModules: modules };
  }

  /** A workflow from a definition already bundled (a recorded run's, for a re-run). */
  async workflowOf(bundle: WorkflowBundle, origin: { file?: string; activityModules?: string[] } = {}): Promise<Workflow> {
    const modules = this.given ? this.given.modules : (origin.activityModules ?? (origin.file ? activityModules(origin.file, undefined) : []));
    await this.loadModules(modules);
    return { name: bundle.definition.name, bundle, ...(origin.file !== undefined && { file: origin.file }), activityModules: modules };
  }

  /** The activity modules a run of `file` uses. */
  private modulesFor(file: string): string[] {
    return this.given ? this.given.modules : activityModules(file, undefined);
  }

  private async loadModules(modules: readonly string[]): Promise<void> {
    for (const module of modules) {
      if (this.loadedModules.has(module)) continue;
      for (const definition of await loadActivityModule(module)) this.activities.set(definition.name, definition);
      this.loadedModules.add(module);
    }
    // Definitions given by value win over a module's of the same name.
    for (const d of this.given?.definitions ?? []) this.activities.set(d.name, d);
  }

  /** What runs are validated against: the activities with code, then the catalog entries over them. */
  private async catalog(): Promise<Catalog> {
    const sources = this.options.catalogs ?? [];
    if (sources.length === 0) return this.activities;
    this.catalogSpecs ??= Promise.all(sources.map((source) => (typeof source === 'string' ? loadCatalogFile(source) : [source]))).then((lists) => lists.flat());
    return new Map<string, ActivitySpec>([...this.activities, ...(await this.catalogSpecs).map((spec): [string, ActivitySpec] => [spec.name, spec])]);
  }

  /** The activities runs of this instance can call, by name (built-ins included). */
  get activityMap(): ReadonlyMap<string, ActivityDefinition> {
    return this.activities;
  }

  // -- starting -------------------------------------------------------------------

  /**
   * Starts a run. The input is checked against the workflow's input schema first
   * (InvalidInputError, and no run exists).
   */
  async start(workflow: Workflow | string, options: StartOptions = {}): Promise<RunHandle> {
    this.checkOpen();
    const loaded = typeof workflow === 'string' ? await this.load(workflow) : workflow;
    const input = options.input ?? {};
    const { checkInput } = await import('../load/input.js');
    checkInput(loaded.bundle, input, loaded.file);
    checkPriority(loaded, input, options.priority);
    const engine = options.engine ?? this.engine;
    const trigger = options.trigger ?? 'api';
    const { reuse } = options as StartFromStep;
    if (engine !== 'temporal') await loadLocal();
    if (engine === 'temporal') return this.startOnTemporal(loaded, input, trigger, options.runId, reuse, options.priority);
    if (engine === 'auto') {
      const { startAuto } = await import('../auto/auto-run.js');
      return startAuto(this, loaded, input, trigger, reuse, options.priority);
    }
    return this.startLocal(loaded, input, trigger, options.runId, undefined, reuse);
  }

  /** Starts a run on the local engine in this process (`reuse`: a re-run from a step, see `rerun`). */
  startLocal(workflow: Workflow, input: Json, trigger: string, runId?: string, onEvent?: (event: HistoryEvent) => void, reuse?: ReusePlan): LocalRunHandle {
    const engine = this.localEngine();
    const origin: RunOrigin = { ...(workflow.file !== undefined && { file: workflow.file }), activityModules: workflow.activityModules };
    // Listen from the first event on: the run starts writing as soon as it is created.
    let run: LocalRun | undefined;
    const pending: HistoryEvent[] = [];
    this.pendingListener = (r, event) => {
      if (run === undefined || r === run) pending.push(event);
    };
    try {
      run = engine.start({ bundle: workflow.bundle, input }, { origin, trigger, ...(runId !== undefined && { runId }), ...(reuse && { reuse }) });
    } finally {
      this.pendingListener = undefined;
    }
    return this.adoptLive(run, pending, onEvent);
  }

  private pendingListener: ((run: LocalRun, event: HistoryEvent) => void) | undefined;

  private adoptLive(run: LocalRun, first: HistoryEvent[], onEvent?: (event: HistoryEvent) => void): LocalRunHandle {
    const events = new (local().handle.LiveEvents)();
    for (const event of first) events.push(event);
    this.live.set(run, events);
    if (onEvent) this.listen(run, onEvent);
    run.done.finally(() => events.wake()).catch(() => {});
    return new (local().handle.LocalRunHandle)(this.store, run.runId, run.definition.name, { run, events });
  }

  /** Calls `listener` for every further event of a run this process drives. */
  listen(run: LocalRun, listener: (event: HistoryEvent) => void): () => void {
    let set = this.eventListeners.get(run);
    if (!set) this.eventListeners.set(run, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private async startOnTemporal(workflow: Workflow, input: Json, trigger: string, runId?: string, reuse?: ReusePlan, priority?: RunPriority): Promise<TemporalRunHandle> {
    if (reuse) {
      const bytes = JSON.stringify(reuse).length + JSON.stringify(workflow.bundle).length;
      if (bytes > MAX_REUSE_BYTES) {
        const { RerunRefusedError } = await import('../errors.js');
        throw new RerunRefusedError(reuse.of, reuse.from, `cannot re-run ${reuse.of} from step "${reuse.from}" on Temporal: the outcomes of the ${reuse.steps.length} steps to reuse travel in the run's start argument, and with the definition they come to ${Math.round(bytes / 1024)} KB, over what Temporal takes; re-run it on the local engine (--engine local); nothing was run`);
      }
    }
    const [client, settings, { hasWorkers, newWorkflowId, routedQueues, startRun }, { TemporalRunHandle }] = await Promise.all([
      this.temporalConnection.connect(),
      this.temporalConnection.settings(),
      import('../temporal/client.js'),
      import('./temporal-run-handle.js'),
    ]);
    const { retry } = this.temporalConnection;
    if (!(await retry.call(() => hasWorkers(client, settings.taskQueue)))) {
      this.notice(
        `no worker polls task queue "${settings.taskQueue}" yet; the run waits until one does. Start one with: revo worker${workflow.activityModules.map((m) => ` --activities ${m}`).join('')}`,
      );
    }
    for (const [queue, activities] of routedQueues(workflow.bundle, settings.taskQueue)) {
      if (await retry.call(() => hasWorkers(client, queue, 'activity'))) continue;
      this.notice(`no worker polls task queue "${queue}" yet, where the run's calls of ${[...activities].join(', ')} go; they wait until one does (docs/dsl.md#routing)`);
    }
    // The id is chosen once: a start tried again is the same run.
    const workflowId = runId ?? newWorkflowId(workflow.name);
    const handle = await retry.call(() =>
      startRun(client, settings, { bundle: workflow.bundle, input, trigger: { by: trigger, input }, workflowId, ...(reuse && { reuse }), ...(priority && { priority }) }),
    );
    return new TemporalRunHandle(this.temporalConnection, handle.workflowId, workflow.name);
  }

  /** The local engine of this instance: one per Revo, journaling under `home` (after a loadLocal()). */
  private localEngine(): LocalEngine {
    this.engineCache ??= new (local().engine.LocalEngine)({
      activities: this.activities,
      store: this.store,
      ...(this.options.clock && { clock: this.options.clock }),
      ...(this.options.storageRetry !== undefined && { storageRetry: this.options.storageRetry }),
      onStorage: (run, event) => {
        if (event.state === 'retrying') this.notice(`${event.error.message}; run ${run.runId} waits and retries for up to ${Math.round(event.retryFor / 1000)} s (nothing new starts meanwhile)`);
        else if (event.state === 'recovered') this.notice(`the journal of run ${run.runId} is written again; the run goes on`);
      },
      onEvent: (run, event) => {
        this.pendingListener?.(run, event);
        this.live.get(run)?.push(event);
        for (const listener of this.eventListeners.get(run) ?? []) listener(event);
      },
    });
    return this.engineCache;
  }

  // -- finding runs -------------------------------------------------------------------

  /**
   * The run `runId` (or a unique prefix of a local run id) names, wherever it runs now:
   * this process, another one, Temporal, or Temporal after a hand-over. RunNotFoundError
   * when no engine has it.
   */
  async getRun(runId: string): Promise<RunHandle> {
    const localId = localRunId(this.store, runId);
    if (localId !== undefined) {
      const { LocalRunHandle } = (await loadLocal()).handle;
      const inProcess = this.localEngine().runs.get(localId);
      if (inProcess && this.live.has(inProcess)) return new LocalRunHandle(this.store, localId, inProcess.definition.name, { run: inProcess, events: this.live.get(inProcess)! });
      if (!handedOver(this.store, localId)) return new LocalRunHandle(this.store, localId, journalHead(this.store, localId).request.bundle.definition.name, undefined, (id) => this.resume(id));
      return this.temporalRun(localId, journalHead(this.store, localId).request.bundle.definition.name);
    }
    return this.temporalRun(runId);
  }

  /**
   * A run on Temporal by its id; RunNotFoundError when Temporal has none (or cannot be
   * asked). Asked through the lean client, so finding a run (to signal it, say) loads no SDK.
   */
  async temporalRun(runId: string, workflow?: string): Promise<TemporalRunHandle> {
    const cannotAsk = async (error: Error) => {
      const { address } = await this.temporalConnection.settings();
      // A refused or unresolvable address is said as the SDK path said it; a TLS or auth refusal in its own words.
      const reason = (error.cause as { syscall?: string } | undefined)?.syscall ? 'nothing answers at that address' : error.message;
      return new RunNotFoundError(runId, `no run "${runId}" in ${this.store.runsDir} (see the runs with \`revo runs\`), and Temporal at ${address} could not be asked about it: ${reason}`);
    };
    const wire = await this.temporalConnection.wire();
    const [{ TemporalRunHandle }, { GrpcError, GRPC }] = await Promise.all([import('./temporal-run-handle.js'), import('../temporal/wire/grpc.js')]);
    let description;
    try {
      // The first call is not waited out, as the SDK's connect was not: a server that does not answer now (or refuses this client) cannot be asked.
      description = await wire.describe(runId);
    } catch (error) {
      if (error instanceof UsageError) throw new RunNotFoundError(runId, error.message);
      if (error instanceof GrpcError && [GRPC.UNAVAILABLE, GRPC.UNAUTHENTICATED, GRPC.PERMISSION_DENIED, GRPC.DEADLINE_EXCEEDED].includes(error.code as 14)) throw await cannotAsk(error);
      throw error;
    }
    return new TemporalRunHandle(this.temporalConnection, runId, workflow ?? description.workflow, description);
  }

  /** A run's record, the definition it ran and its events, wherever it ran (`revo history`). */
  async history(runId: string): Promise<RunHistory> {
    const { runHistory } = await import('./run-history.js');
    return runHistory(this, runId);
  }

  /**
   * Rebuilds a recorded run (a run id, a `revo history --json` export or a Temporal
   * history file) without running anything, and says where a definition would take
   * another path (docs/replay.md).
   */
  async replay(idOrFile: string, options: ReplayOptions = {}): Promise<ReplayVerdict> {
    const [{ replaySource }, { alternativeDefinition, changedFileNote }, { replayRun }, { RunRecorder }] = await Promise.all([
      import('../replay/source.js'),
      import('../replay/definition.js'),
      import('../replay/replay.js'),
      import('../history/record.js'),
    ]);
    const source = await replaySource(this, idOrFile, options);
    const other = await alternativeDefinition(source, { ...options, ...(this.given && { activities: this.given.modules, given: this.given.definitions }) });
    const bundle = other?.bundle ?? source.bundle;
    const { record, divergence } = await replayRun(bundle, source.input, source.events);
    const note = other ? undefined : await changedFileNote(source, idOrFile);
    return {
      source,
      ...(other && { definitionFile: other.file }),
      bundle,
      recorded: RunRecorder.fold(source.events),
      replayed: record,
      ...(divergence && { divergence }),
      ...(source.temporalReplay?.ok === false && { temporalProblem: source.temporalReplay.problem }),
      notes: note ? [note] : [],
    };
  }

  /**
   * A new run with a recorded run's input and definition (or the definition chosen with
   * `current` / `definition`), triggered as `rerun:<runId>`, on the earlier run's engine
   * unless `engine` says otherwise. With `from`, a re-run from that step (triggered as
   * `rerun:<runId>@<step key>`): the steps before it are answered from the recorded run.
   */
  async rerun(idOrFile: string, options: RerunOptions = {}): Promise<RunHandle> {
    this.checkOpen();
    const [{ replaySource }, { alternativeDefinition }, { rerunPlan }] = await Promise.all([import('../replay/source.js'), import('../replay/definition.js'), import('../replay/rerun.js')]);
    const source = await replaySource(this, idOrFile, options);
    const chosen = await alternativeDefinition(source, { ...options, ...(this.given && { activities: this.given.modules, given: this.given.definitions }) });
    const plan = await rerunPlan(this, source, chosen);
    const definition = chosen ? chosen.file : 'its recorded definition';
    if (options.from === undefined) {
      this.notice(`rerunning ${source.runId} with ${definition}`);
      return this.start(plan.workflow, { input: plan.input, trigger: plan.trigger, engine: options.engine ?? plan.engine });
    }
    const { rerunFrom } = await import('../replay/rerun-from.js');
    const { from, plan: reuse } = await rerunFrom(source, options.from, plan.workflow.bundle, chosen ? chosen.file : 'the recorded definition');
    this.notice(`rerunning ${source.runId} from step "${from}" with ${definition}: ${reuse.steps.length} step${reuse.steps.length === 1 ? '' : 's'} before it answered from the recorded run`);
    const start: StartFromStep = { input: plan.input, trigger: `${plan.trigger}@${from}`, engine: options.engine ?? plan.engine, reuse };
    return this.start(plan.workflow, start);
  }

  /** Runs, newest first (docs/api.md#listruns). */
  listRuns(filter: RunFilter = {}): Promise<RunList> {
    return listRuns(this, filter);
  }

  /**
   * Saves the records of the closed Temporal runs that match `filter` into the archive, so
   * they outlive the namespace's retention (docs/history.md#retention-and-the-archive).
   */
  async archiveRuns(filter: Omit<RunFilter, 'limit'> = {}): Promise<ArchiveReport> {
    const { archiveRuns } = await import('./archive-runs.js');
    return archiveRuns(this, filter);
  }

  // -- resuming ---------------------------------------------------------------------

  /**
   * Continues a local run whose process is gone, from its journal: nothing completed
   * runs again. A run handed over to Temporal is followed there (its Temporal part
   * started first if the hand-over was cut short).
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<RunHandle> {
    this.checkOpen();
    const id = findRun(this.store, runId);
    const head = usable(() => journalHead(this.store, id, options));
    if (handedOver(this.store, id)) {
      const { continueHandedOver } = await import('../auto/auto-run.js');
      return continueHandedOver(this, id);
    }
    const origin = head.origin ?? {};
    const modules = this.given ? this.given.modules : (origin.activityModules ?? []);
    await this.loadModules(modules);
    if (origin.file) {
      const { loadFile } = await import('../load/load.js');
      const now = await loadFile(origin.file).then((f) => f.hash, () => undefined);
      if (now !== undefined && now !== head.request.bundle.hash) {
        this.notice(`${origin.file} has changed since run ${id} started; it continues with the definition recorded when it started.`);
      }
    }
    const { LocalRunHandle } = (await loadLocal()).handle;
    const engine = this.localEngine();
    const existing = engine.runs.get(id);
    if (existing && this.live.has(existing)) return new LocalRunHandle(this.store, id, existing.definition.name, { run: existing, events: this.live.get(existing)! });
    // The journal's events come first, then what the resume writes: a follower sees the whole run.
    const first = usable(() => storedEvents(this.store, id, options));
    this.pendingListener = (_run, event) => first.push(event);
    let run: LocalRun;
    try {
      run = usable(() => engine.resume(id, options));
    } finally {
      this.pendingListener = undefined;
    }
    if (run.cutOff) this.notice(`the journal of ${id} ended in a partial line (the process was killed while writing it); that line was discarded.`);
    if (run.damage) {
      const { line, detail, lostSteps } = run.damage;
      const again = lostSteps.length ? `; these steps completed after it and run again: ${lostSteps.join(', ')}` : '';
      this.notice(`the journal of ${id} was damaged at line ${line} (${detail}); it was cut back to the line before${again}`);
    }
    if (run.record.status !== 'running') {
      const status = run.record.status;
      throw new RunEndedError(id, status, `run ${id} has already ${status}; nothing to resume (see it with: revo history ${id})`);
    }
    return this.adoptLive(run, first);
  }

  // -- lifetime -------------------------------------------------------------------------

  /** Resolves once every run this process drives (children started with `wait: false` included) has ended. */
  async idle(): Promise<void> {
    const engine = this.engineCache;
    if (!engine) return;
    // A run let go (handed over, abandoned) is not driven here any more: its `done` never settles.
    await Promise.allSettled([...engine.runs.values()].filter((r) => r.active).map((r) => r.done));
  }

  /**
   * Lets go: local runs this process still drives stop here and stay resumable
   * (`revo resume`, or `resume` on another instance), and the Temporal connection closes.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const run of this.engineCache?.runs.values() ?? []) if (run.record.status === 'running') run.abandon();
    await this.temporalConnection.close();
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError('this Revo instance is closed');
  }
}

function handedOver(store: RunStore, runId: string): boolean {
  try {
    return readRunJournal(store, runId).entries.some((e) => e.type === 'engine.handover');
  } catch {
    return false; // an unreadable journal is reported by whatever reads it next
  }
}

/** The history events in a local run's journal. */
function storedEvents(store: RunStore, runId: string, options: ResumeOptions): HistoryEvent[] {
  return journalEvents(readRunJournal(store, runId, options).entries);
}

/** Store and journal problems are the caller's to act on. */
function usable<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof RunLockedError) throw new UsageError(`${error.message}; wait for it to end, or stop that process first`);
    if (error instanceof JournalCorruptError) {
      const runId = basename(error.file, '.jsonl');
      throw new UsageError(
        `${error.message}; the run cannot be resumed safely. \`revo resume ${runId} --accept-damage\` cuts the journal back to line ${error.line - 1} and runs again what it recorded after that (docs/reliability.md#damaged-journals)`,
      );
    }
    if (localModules && error instanceof localModules.engine.HandedOverError) throw new UsageError(error.message);
    if (error instanceof Error && !(error instanceof UsageError) && (error as NodeJS.ErrnoException).code === undefined) throw new UsageError(error.message);
    throw error;
  }
}


/**
 * A priority Temporal would refuse, or a fairness key the definition cannot render from
 * this input, is a usage error before anything starts (docs/dsl.md#priority).
 */
function checkPriority(workflow: Workflow, input: Json, given: RunPriority | undefined): void {
  const key = given?.key;
  if (key !== undefined && (!Number.isInteger(key) || key < PRIORITY_KEY_MIN || key > PRIORITY_KEY_MAX)) {
    throw new UsageError(`priority key ${key} is out of range: keys run from ${PRIORITY_KEY_MIN} (runs first) to ${PRIORITY_KEY_MAX} (runs last)`);
  }
  try {
    startPriority(workflow.bundle.definition, input, given);
  } catch (error) {
    if (error instanceof WorkflowError) throw new UsageError(`${workflow.file ?? workflow.name}: ${error.message}`);
    throw error;
  }
}
