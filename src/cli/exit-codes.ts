/** Exit codes of the command-line contract (docs/architecture.md). */
export const EXIT_CODES = {
  /** Success. */
  ok: 0,
  /** The check or the run failed (validation errors, workflow failed). */
  failed: 1,
  /** Usage error, unreadable file, or internal error. */
  usage: 2,
} as const;
