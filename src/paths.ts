import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Revo package's root directory, found from this module (works from src/ and from dist/src/). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

export const SCHEMA_PATH = join(PACKAGE_ROOT, 'schema', 'workflow.schema.json');

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schema'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the Revo package root above ${from}`);
  }
}
