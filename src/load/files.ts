import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UsageError } from '../errors.js';

const IGNORED = ['**/node_modules/**', '**/.git/**', '**/.revo/**', '**/dist/**'];

/**
 * The workflow files named by the command line: files as given, globs expanded, and
 * directories searched for `*.yaml` / `*.yml` files that are Revo workflows (they
 * have a top-level `revo:` key; `*.test.yaml` files are workflow tests, not workflows).
 */
export async function workflowFiles(args: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const arg of args) {
    if (isDynamicPattern(arg)) {
      const matches = await glob(arg, { ignore: IGNORED, expandDirectories: false });
      if (matches.length === 0) throw new UsageError(`no files match ${arg}`);
      matches.sort().forEach((m) => found.add(m));
      continue;
    }
    const info = await stat(arg).catch(() => null);
    if (!info) throw new UsageError(`no such file or directory: ${arg}`);
    if (!info.isDirectory()) {
      found.add(arg);
      continue;
    }
    const candidates = await glob(['**/*.yaml', '**/*.yml'], { cwd: arg, ignore: [...IGNORED, '**/*.test.yaml', '**/*.test.yml'] });
    let workflows = 0;
    for (const candidate of candidates.sort()) {
      const path = relative(process.cwd(), `${arg}/${candidate}`) || candidate;
      if (await isWorkflow(path)) {
        found.add(path);
        workflows++;
      }
    }
    if (workflows === 0) throw new UsageError(`no workflow files in ${arg} (looked for *.yaml and *.yml files with a top-level \`revo:\` key)`);
  }
  return [...found];
}

/** Whether a YAML file is a Revo workflow: it has a top-level `revo:` key. */
export async function isWorkflow(path: string): Promise<boolean> {
  const head = (await readFile(path, 'utf8').catch(() => '')).slice(0, 64 * 1024);
  return /^revo\s*:/m.test(head);
}

/**
 * Catalog files that sit beside the workflows: a `catalog.json` written by
 * `revo catalog` in the directory of any workflow file is used automatically, so
 * `revo validate workflows/` needs no flags in a repository that keeps one there.
 */
export async function catalogsBeside(files: readonly string[]): Promise<string[]> {
  const dirs = new Set(files.map((f) => dirname(f)));
  const found: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, 'catalog.json');
    const head = await readFile(path, 'utf8').then((t) => t.slice(0, 200)).catch(() => '');
    if (/"revoCatalog"\s*:\s*1/.test(head)) found.push(path);
  }
  return found;
}
