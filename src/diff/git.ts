/** The text of a file at a git revision, for `revo diff --git <ref> <file>`. */
import { execFile } from 'node:child_process';
import { basename, dirname, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../errors.js';
import { LIMITS } from '../load/limits.js';

export interface RevisionText {
  /** How to name this version in output: `HEAD~1:flows/order.yaml`. */
  label: string;
  text: string;
}

/**
 * Runs `git show <ref>:./<name>` in the file's directory, so the path is resolved in
 * whichever repository holds the file, relative to where it is.
 */
export async function readAtRevision(file: string, ref: string): Promise<RevisionText> {
  // A ref starting with `-` would be read by git as an option.
  if (ref === '' || ref.startsWith('-')) throw new UsageError(`not a git revision: ${JSON.stringify(ref)}`);
  try {
    const { stdout } = await promisify(execFile)('git', ['show', `${ref}:./${basename(file)}`], {
      cwd: dirname(resolve(file)),
      encoding: 'utf8',
      // Enough for any file the loader accepts; a bigger one fails with the loader's own message.
      maxBuffer: LIMITS.maxBytes * 2,
    });
    return { label: `${ref}:${file}`, text: stdout };
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new UsageError('`git` was not found on PATH; --git needs it');
    const reason = (failure.stderr ?? failure.message).trim().split('\n')[0]!.replace(/^fatal: /, '');
    throw new UsageError(`cannot read ${file} at git revision ${ref}: ${reason}`);
  }
}
