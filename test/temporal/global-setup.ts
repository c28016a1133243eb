/**
 * Starts ONE Temporal dev server for the `temporal` vitest project and hands its address
 * to the tests (`inject('temporalAddress')`). No timeout applies here, which matters: the
 * first run on a machine builds the temporal CLI with Go, which takes minutes. When no
 * server can be had, this throws and the run fails — Temporal tests are never skipped.
 */
import type { TestProject } from 'vitest/node';
import { startDevServer } from '../../src/temporal/dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port` of the shared dev server's frontend (namespace `default`). */
    temporalAddress: string;
    /** The temporal CLI binary running it, for `temporal workflow signal …` in tests; '' when the SDK downloaded the server. */
    temporalCli: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string): void => console.error(`[temporal] ${line}`);
  const server = await startDevServer({ log }); // headless, in memory
  log(`dev server at ${server.address}${server.cli ? ` (${server.cli})` : ''}`);
  project.provide('temporalAddress', server.address);
  project.provide('temporalCli', server.cli ?? '');
  return () => server.stop();
}
