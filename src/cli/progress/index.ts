/**
 * The progress `revo run` and `revo resume` show while a run executes: on a terminal a
 * live view of the steps (status, attempt, duration, a spinner on the running ones),
 * plain lines otherwise (CI logs, pipes). Both are fed the run's history events as
 * they are written, with the run record folded from them.
 */
import type { HistoryEvent } from '../../../interpreter/history.js';
import type { RunRecord } from '../../history/record.js';
import { LiveProgress } from './live.js';
import { PlainProgress } from './plain.js';

export interface ProgressView {
  /** Called for each event as it is written, with the run's record after applying it. */
  event(runId: string, event: HistoryEvent, record: RunRecord): void;
  /** A message from the command itself (e.g. what Ctrl-C does), printed without breaking the live frame. */
  note(text: string): void;
  /** Stops the spinner, leaves a final rendering on screen (TTY) and flushes. */
  close(): void;
}

export interface ProgressOptions {
  /** Redraw in place (a terminal) rather than print lines. */
  tty: boolean;
  /** ANSI colours; off for NO_COLOR. Cursor movement is still used on a terminal. */
  color: boolean;
  /** Terminal width (the stream's own, when it has one, wins: the terminal may be resized). */
  columns?: number;
  /** Terminal height: a live frame takes at most `rows - 2` lines. */
  rows?: number;
  /** The clock for running steps' elapsed time. */
  now?: () => number;
}

export function createProgressView(out: NodeJS.WritableStream, options: ProgressOptions): ProgressView {
  return options.tty ? new LiveProgress(out, options) : new PlainProgress(out, options);
}

export { formatElapsed } from './format.js';
