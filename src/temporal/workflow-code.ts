/** Where workers and replays find the bundled workflow code (made by `npm run build`). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

/** `traced`: the bundle with the SDK's OpenTelemetry workflow interceptors (src/sandboxed/workflow/tracing.ts), for a worker that traces. */
export function workflowBundle(options: { traced?: boolean } = {}): { codePath: string } {
  const codePath = join(PACKAGE_ROOT, 'dist', options.traced ? 'temporal-workflow-traced.js' : 'temporal-workflow.js');
  if (!existsSync(codePath)) throw new UsageError(`the Temporal workflow bundle ${codePath} is missing; run \`npm run build\` in the Revo package`);
  return { codePath };
}
