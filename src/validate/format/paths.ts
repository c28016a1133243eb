import { isAbsolute, relative, sep } from 'node:path';

/**
 * The path to show for a diagnostic's file: as given, except that absolute paths
 * inside `cwd` (files reached through `child.workflow` references) become relative.
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** `displayPath` with forward slashes, as CI systems want it. */
export function portablePath(file: string, cwd?: string): string {
  const path = displayPath(file, cwd);
  return sep === '\\' ? path.replaceAll('\\', '/') : path;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning in 5 files` or `✓ 5 files valid`. */
export function summary(errors: number, warnings: number, files: number): string {
  if (errors === 0 && warnings === 0) return `✓ ${plural(files, 'file')} valid`;
  const parts = [];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return `${parts.join(', ')} in ${plural(files, 'file')}`;
}
