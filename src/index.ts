/**
 * Revo's public API for code: `import { Revo, createWorker, validate, … } from 'revo'`.
 * This file lists all of it; docs/api.md shows it at work.
 */

// Running workflows, on any engine.
export { Revo } from './api/revo.js';
export type { EngineChoice, ReplayOptions, ReplayVerdict, RerunOptions, ResumeOptions, RevoOptions, RunPriority, StartOptions, Workflow } from './api/revo.js';
export type { EngineName, EventsOptions, RunHandle, WaitOptions } from './api/run-handle.js';
export type { RunFilter, RunList, RunSummary } from './api/list-runs.js';
export type { ArchiveReport } from './api/archive-runs.js';
export type { ArchivedRun } from './local/archive.js';
export type { TemporalOptions } from './api/temporal-connection.js';

// The execution history view (`revo ui`, docs/ui.md).
export { startUi } from './ui/server.js';
export type { UiOptions, UiServer } from './ui/server.js';

// Workers, validation.
export { createWorker } from './api/worker.js';
export type { RevoWorker, WorkerOptions } from './api/worker.js';
export { validate, validateFiles } from './api/validate.js';
export type { Validation, ValidateOptions } from './api/validate.js';
export type { Diagnostic, Severity } from './validate/diagnostic.js';

// Typed activities.
export { defineActivity } from './activities/types.js';
export type { ActivityContext, ActivityDefinition, ActivitySpec, Catalog } from './activities/types.js';

// Errors: every one a class, to catch by type.
export { WorkflowError } from '../interpreter/errors.js';
export {
  InvalidInputError,
  QueryError,
  QueryFailedError,
  RunEndedError,
  RunFailedError,
  RunNotFoundError,
  RerunRefusedError,
  SignalRejectedError,
  StorageError,
  TemporalUnavailableError,
  TemporalGoneError,
  UsageError,
  ValidationError,
} from './errors.js';
export { ResumeDivergedError } from './api/local-run-handle.js';

// The data: definitions, history events, run records.
export type * from '../interpreter/model.js';
export type { ErrorInfo, HistoryEvent, RerunInfo, TriggerInfo } from '../interpreter/history.js';
export type { RunOutcome, RunStateView } from '../interpreter/run.js';
export type { RunRecord, StepRecord } from './history/record.js';
