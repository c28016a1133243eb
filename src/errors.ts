/**
 * A problem with what the user asked for (a missing file, a bad flag, a broken
 * activity module). The CLI prints its message without a stack trace and exits 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
