/**
 * Where local runs live: `${REVO_HOME ?? '.revo'}/runs/`, one set of files per run
 * (journal, inbox, state snapshot, lock). Run ids come from the command line, so
 * every path is built from a checked id that cannot leave the runs directory.
 */
import { randomInt } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The run is held by another live process (or by this one, through another lock). */
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
}

/** No run matches the id or prefix given (or the id is not a valid run id). */
export class UnknownRunError extends Error {
  override readonly name: string = 'UnknownRunError';
}

/** An id that cannot be a run id at all (it could name a file outside the runs dir). */
export class InvalidRunIdError extends UnknownRunError {
  override readonly name = 'InvalidRunIdError';
}

/** A prefix matches more than one run. */
export class AmbiguousRunError extends Error {
  override readonly name = 'AmbiguousRunError';
}

/** Letters, digits, `-` and `_`: no separators, no dots, so no `..` and no clash with the files' suffixes. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;
const JOURNAL_SUFFIX = '.jsonl';

export class RunStore {
  readonly runsDir: string;
  /** Ids this store has handed out: unique even before their runs have written a file. */
  private readonly issued = new Set<string>();

  /** `home` defaults to REVO_HOME, else `.revo`; a relative home is resolved against the current directory now. */
  constructor(home: string = process.env.REVO_HOME || '.revo') {
    this.runsDir = resolve(home, 'runs');
  }

  journalPath(runId: string): string {
    return this.file(runId, '.jsonl');
  }

  inboxPath(runId: string): string {
    return this.file(runId, '.inbox.jsonl');
  }

  statePath(runId: string): string {
    return this.file(runId, '.state.json');
  }

  lockPath(runId: string): string {
    return this.file(runId, '.lock');
  }

  /**
   * A new id `<workflow>-<YYYYMMDD-HHMMSS>-<4 random base36 chars>` (UTC): sortable by
   * start time, readable, and short enough to type a prefix of. Unique in the dir.
   */
  newRunId(workflow: string, now: Date = new Date()): string {
    const name = workflow.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 100) || 'run';
    const iso = now.toISOString(); // 2026-01-01T12:34:56.789Z
    const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
    for (let attempt = 0; attempt < 1000; attempt++) {
      let suffix = '';
      for (let i = 0; i < 4; i++) suffix += randomInt(36).toString(36);
      const id = `${name}-${stamp}-${suffix}`;
      const taken = this.issued.has(id) || ['.jsonl', '.inbox.jsonl', '.state.json', '.lock'].some((ext) => existsSync(this.file(id, ext)));
      if (!taken) {
        this.issued.add(id);
        return id;
      }
    }
    throw new Error(`cannot find a free run id for ${name} in ${this.runsDir}`);
  }

  /** `id` when it can name a new run here (a valid id no run has taken), else undefined. */
  freeRunId(id: string): string | undefined {
    if (!RUN_ID.test(id)) return undefined;
    return ['.jsonl', '.inbox.jsonl', '.state.json', '.lock'].some((ext) => existsSync(this.file(id, ext))) ? undefined : id;
  }

  /**
   * Claims the run for this process, so two processes never drive one run: a lock
   * file `<runId>.lock` holding our pid, created exclusively. A lock left by a dead
   * process is taken over; one held by a live process throws RunLockedError.
   * Returns the release function (idempotent).
   */
  lock(runId: string): () => void {
    const path = this.lockPath(runId);
    mkdirSync(this.runsDir, { recursive: true });
    for (let attempt = 0; attempt < 10; attempt++) {
      if (createLock(path)) return () => releaseLock(path);
      const pid = readPid(path);
      if (pid === null) continue; // released meanwhile: try again
      if (pid !== undefined && isAlive(pid)) throw lockedError(runId, pid);
      // Stale (dead pid, or no pid at all). Move it aside atomically so that of two
      // processes taking over, only one removes it; if what we moved is a fresh lock
      // a faster process made meanwhile, put it back.
      const aside = `${path}.${process.pid}.stale`;
      try {
        renameSync(path, aside);
      } catch (err) {
        if (code(err) === 'ENOENT') continue;
        throw err;
      }
      const moved = readPid(aside);
      if (moved !== pid && typeof moved === 'number' && isAlive(moved)) {
        try {
          linkSync(aside, path);
        } catch {
          // yet another process locked it; it and `moved` will find out on their own lock checks
        }
        unlinkSync(aside);
        throw lockedError(runId, moved);
      }
      unlinkSync(aside);
    }
    throw new RunLockedError(`run ${runId} is being locked by another process; try again`);
  }

  /** Removes a run's files: for a run whose start failed, so that no trace of it is left. */
  remove(runId: string): void {
    for (const path of [this.journalPath(runId), this.inboxPath(runId), this.statePath(runId)]) rmSync(path, { force: true });
  }

  /** The pid of the live process holding the run, else undefined. */
  holder(runId: string): number | undefined {
    const pid = readPid(this.lockPath(runId));
    return typeof pid === 'number' && isAlive(pid) ? pid : undefined;
  }

  /**
   * Replaces the run's state snapshot atomically (tmp file + rename): a reader in
   * another process sees the old or the new snapshot, never half of one. Not synced:
   * the journal is the durable record the snapshot can be rebuilt from.
   */
  writeState(runId: string, state: unknown): void {
    const path = this.statePath(runId);
    const tmp = `${path}.${process.pid}.tmp`;
    mkdirSync(this.runsDir, { recursive: true });
    try {
      writeFileSync(tmp, JSON.stringify(state));
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true }); // a full disk leaves a partial tmp file otherwise
      throw error;
    }
  }

  /** The run's state snapshot; undefined when there is none (or it was torn by a power loss). */
  readState(runId: string): unknown | undefined {
    let text: string;
    try {
      text = readFileSync(this.statePath(runId), 'utf8');
    } catch (err) {
      if (code(err) === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  /** The index of the runs, a cache `revo runs` reads instead of every journal (run-index.ts). */
  indexPath(): string {
    return join(this.runsDir, 'index.json');
  }

  /** Run ids in the dir (those with a journal), in no order. */
  ids(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.runsDir);
    } catch (err) {
      if (code(err) === 'ENOENT') return [];
      throw err;
    }
    const ids: string[] = [];
    for (const name of names) {
      if (!name.endsWith(JOURNAL_SUFFIX)) continue;
      const id = name.slice(0, -JOURNAL_SUFFIX.length);
      if (RUN_ID.test(id)) ids.push(id); // not `<id>.inbox.jsonl`, nor strangers
    }
    return ids;
  }

  /** Run ids in the dir (those with a journal), newest first by journal mtime. */
  list(): string[] {
    const runs: { id: string; mtime: number }[] = [];
    for (const id of this.ids()) {
      try {
        runs.push({ id, mtime: statSync(this.journalPath(id)).mtimeMs });
      } catch {
        // deleted meanwhile
      }
    }
    runs.sort((a, b) => b.mtime - a.mtime || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    return runs.map((r) => r.id);
  }

  /**
   * The full id from a unique prefix, like git: an exact match wins; no match throws
   * UnknownRunError, several throw AmbiguousRunError listing them.
   */
  resolve(idOrPrefix: string): string {
    checkId(idOrPrefix);
    if (existsSync(this.journalPath(idOrPrefix))) return idOrPrefix;
    const matches = this.list().filter((id) => id.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0]!;
    if (matches.length === 0) {
      // Its state file outlives it: the run was here, and its record was removed under it.
      if (existsSync(this.statePath(idOrPrefix))) {
        throw new UnknownRunError(`run ${idOrPrefix} has no journal any more (${this.journalPath(idOrPrefix)} was removed): its record is lost and it cannot be shown or resumed`);
      }
      throw new UnknownRunError(`no run "${idOrPrefix}" in ${this.runsDir} (see the runs with \`revo runs\`)`);
    }
    const shown = matches.slice(0, 10).map((id) => `  ${id}`);
    if (matches.length > 10) shown.push(`  … and ${matches.length - 10} more`);
    throw new AmbiguousRunError(`"${idOrPrefix}" matches ${matches.length} runs; give more of the id:\n${shown.join('\n')}`);
  }

  private file(runId: string, suffix: string): string {
    checkId(runId);
    return join(this.runsDir, runId + suffix);
  }
}

/** Refuses an id that could name a file outside the runs dir (or no run at all). */
function checkId(runId: string): void {
  if (!RUN_ID.test(runId)) {
    throw new InvalidRunIdError(
      `invalid run id ${JSON.stringify(runId)}: run ids have letters, digits, "-" and "_" only (see the runs with \`revo runs\`)`,
    );
  }
}

/**
 * Creates the lock with our pid in it, atomically: written to a private file first
 * and then hard-linked into place (link fails if the lock exists), so nobody ever
 * reads a lock without its pid. False when the lock exists.
 */
function createLock(path: string): boolean {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${process.pid}\n`);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if (code(err) === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/** Removes the lock if it is still ours. */
function releaseLock(path: string): void {
  if (readPid(path) !== process.pid) return;
  try {
    unlinkSync(path);
  } catch (err) {
    if (code(err) !== 'ENOENT') throw err;
  }
}

/** The pid in a lock file: null when there is no file, undefined when it holds no pid. */
function readPid(path: string): number | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (code(err) === 'ENOENT') return null;
    throw err;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** Whether a process exists: signal 0 checks without sending anything (EPERM: it exists, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return code(err) !== 'ESRCH';
  }
}

function lockedError(runId: string, pid: number): RunLockedError {
  return new RunLockedError(`run ${runId} is still running in process ${pid}`);
}

function code(err: unknown): unknown {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}
