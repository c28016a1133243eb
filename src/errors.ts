/**
 * The errors Revo's API throws, every one a class exported from 'revo' (src/index.ts).
 * A UsageError and its subclasses are the caller's to fix (a missing file, a bad input,
 * an unknown run): the CLI prints their message without a stack trace and exits 2.
 * RunFailedError is a run's own end; the CLI exits 1 for it.
 */
import type { ErrorInfo } from '../interpreter/history.js';
import type { Diagnostic } from './validate/diagnostic.js';

/** A problem with what the caller asked for (a missing file, a bad flag or argument, a broken activity module). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A workflow file (or a child workflow it needs) has validation errors; nothing was run. */
export class ValidationError extends UsageError {
  override name = 'ValidationError';

  constructor(
    /** The workflow file asked for. */
    readonly file: string,
    /** The errors, positioned (file, line, col, rule, message). */
    readonly diagnostics: Diagnostic[],
    /** The text of every file checked, by path: for code frames in a report. */
    readonly sources: ReadonlyMap<string, string> = new Map(),
  ) {
    const shown = diagnostics.slice(0, 5).map((d) => `  ${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.rule}]`);
    if (diagnostics.length > 5) shown.push(`  … and ${diagnostics.length - 5} more`);
    super(`${file} is not a valid workflow; nothing was run.\n${shown.join('\n')}`);
  }
}

/** A run's input does not match the workflow's `input` schema (or is not JSON): no run was created. */
export class InvalidInputError extends UsageError {
  override name = 'InvalidInputError';
}

/**
 * The disk refused a write Revo needs (full, read-only, no permission, a file removed
 * under a live run). Before a run starts, no run was created; during a run, the run
 * stopped with its journal consistent up to its last whole entry: fix the disk, then
 * `revo resume` continues it exactly (docs/reliability.md#storage-faults).
 */
export class StorageError extends UsageError {
  override name = 'StorageError';

  constructor(
    readonly path: string,
    /** The file-system error code: ENOSPC, EROFS, EACCES, EPERM, EDQUOT, EIO, EFBIG or ENOENT. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** No run by that id (or prefix) on any engine Revo can ask. */
export class RunNotFoundError extends UsageError {
  override name = 'RunNotFoundError';

  constructor(
    readonly runId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A re-run from a step that cannot be honoured (docs/replay.md#re-run-from-a-step): the
 * step does not exist or was not reached, the run has not ended, or the definition
 * would not take the steps before it as recorded. The message says why; no run was started.
 */
export class RerunRefusedError extends UsageError {
  override name = 'RerunRefusedError';

  constructor(
    readonly runId: string,
    /** The step as given (`--from`). */
    readonly from: string,
    message: string,
  ) {
    super(message);
  }
}

/** The run refuses the signal (undeclared, or a payload that does not match its schema); the run is unaffected. */
export class SignalRejectedError extends UsageError {
  override name = 'SignalRejectedError';

  constructor(
    readonly runId: string,
    readonly signal: string,
    /** Why, in the words the run itself records for a refused signal. */
    readonly reason: string,
  ) {
    super(`run ${runId} refuses signal "${signal}": ${reason}; nothing was sent`);
  }
}

/** The run has ended, so it takes no more signals or cancellation. */
export class RunEndedError extends UsageError {
  override name = 'RunEndedError';

  constructor(
    readonly runId: string,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

/** The run cannot answer now: an unknown query, or no worker to answer it on Temporal. */
export class QueryError extends UsageError {
  override name = 'QueryError';
}

/** A declared query's expression failed against the run's variables. */
export class QueryFailedError extends Error {
  override name = 'QueryFailedError';

  constructor(
    readonly runId: string,
    readonly query: string,
    readonly error: ErrorInfo,
  ) {
    super(`query "${query}" of run ${runId} failed: ${error.type}: ${error.message}`);
  }
}

/** Temporal could not be reached (or refused the connection). */
export class TemporalUnavailableError extends UsageError {
  override name = 'TemporalUnavailableError';
}

/**
 * Temporal went away while Revo was talking to it and did not come back within the
 * deadline (`temporalRetry`, REVO_TEMPORAL_RETRY; docs/reliability.md#temporal-server-restarts).
 * A run on Temporal is not affected: it goes on there once the server is back.
 */
export class TemporalGoneError extends TemporalUnavailableError {
  override name = 'TemporalGoneError';

  constructor(
    readonly address: string,
    /** How long it was waited for (ms). */
    readonly waitedMs: number,
    /** The run the call was about, if any. */
    readonly runId?: string,
  ) {
    const waited = waitedMs % 60_000 === 0 ? `${waitedMs / 60_000}m` : `${Math.round(waitedMs / 1000)}s`;
    super(
      `Temporal at ${address} has been unreachable for ${waited}; gave up waiting (REVO_TEMPORAL_RETRY sets how long). ` +
        (runId !== undefined
          ? `The run ${runId} itself is safe on Temporal and goes on there once the server is back. Follow it again with: revo result ${runId}`
          : 'Nothing was lost on Temporal; run the command again once the server is back.'),
    );
  }
}

/** The run failed or was cancelled: `error` is its DSL error (type, message, step). */
export class RunFailedError extends Error {
  constructor(
    readonly runId: string,
    readonly status: 'failed' | 'cancelled',
    readonly error: ErrorInfo,
  ) {
    super(`run ${runId} ${status}: ${error.type}${error.step ? ` in step "${error.step}"` : ''}: ${error.message}`);
  }
  override name = 'RunFailedError';
}
