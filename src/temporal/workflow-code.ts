/** Where workers and replays find the bundled workflow code (made by `npm run build`). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

export function workflowBundle(): { codePath: string } {
  const codePath = join(PACKAGE_ROOT, 'dist', 'temporal-workflow.js');
  if (!existsSync(codePath)) throw new UsageError(`the Temporal workflow bundle ${codePath} is missing; run \`npm run build\` in the Revo package`);
  return { codePath };
}
