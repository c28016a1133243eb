/**
 * The test files named on the command line: `*.test.yaml` files as given, globs
 * expanded, directories searched recursively, and for a workflow file the test file
 * beside it (`order.yaml` → `order.test.yaml`), so a hook can pass changed files as they are.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from '../errors.js';

const IGNORED = ['**/node_modules/**', '**/.git/**', '**/.revo/**', '**/dist/**'];
const TEST_FILE = /\.test\.ya?ml$/;

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

/** The test file of a workflow file, when there is one beside it. */
export function testFileBeside(workflow: string): string | undefined {
  const base = workflow.replace(/\.ya?ml$/, '');
  return ['.test.yaml', '.test.yml'].map((ext) => base + ext).find((candidate) => existsSync(candidate));
}

export async function testFiles(args: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const arg of args) {
    if (isDynamicPattern(arg)) {
      const matches = (await glob(arg, { ignore: IGNORED, expandDirectories: false })).sort();
      if (matches.length === 0) throw new UsageError(`no files match ${arg}`);
      for (const match of matches) addFile(found, match);
      continue;
    }
    const info = await stat(arg).catch(() => null);
    if (!info) throw new UsageError(`no such file or directory: ${arg}`);
    if (!info.isDirectory()) {
      addFile(found, arg);
      continue;
    }
    const matches = await glob(['**/*.test.yaml', '**/*.test.yml'], { cwd: arg, ignore: IGNORED });
    for (const match of matches.sort()) found.add(relative(process.cwd(), join(arg, match)) || match);
  }
  return [...found];
}

/** A test file as is; a workflow file stands for its test file, if it has one. */
function addFile(found: Set<string>, path: string): void {
  if (isTestFile(path)) found.add(path);
  else {
    const beside = testFileBeside(path);
    if (beside) found.add(beside);
  }
}
