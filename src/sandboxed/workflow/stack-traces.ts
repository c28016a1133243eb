/**
 * Stack traces in the workflow sandbox keep 5 frames (V8's default is 10). The SDK takes
 * one for every promise a workflow creates, for its stack-trace query, and maps each
 * frame through the bundle's source map; the interpreter creates several promises per
 * step, deep in its own frames, so at 10 frames this was an eighth of the CPU a replay
 * took (docs/temporal.md#worker-performance). Five still show where an error was thrown.
 *
 * Imported first by the workflow, and preloaded (it imports nothing), so it runs once per
 * worker thread, before the SDK freezes the sandbox's globals; should it ever run after,
 * the assignment fails and the default stays.
 */
try {
  Error.stackTraceLimit = 5;
} catch {
  // frozen: keep the default
}
export {};
