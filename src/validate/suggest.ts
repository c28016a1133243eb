import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name`, when one is close enough to be a plausible typo:
 * an edit distance of at most a third of the name's length (at least 1), compared
 * case-insensitively, where swapping two neighbouring letters counts as one edit
 * (`vra` → `var`). Ties go to the candidate listed first.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const lower = candidate.toLowerCase();
    const d = isSwap(wanted, lower) ? 1 : distance(wanted, lower);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * A clause to append to a message: `; did you mean \`charge\`?` when a candidate is
 * close to `name`, else the empty string.
 *
 *   report(path, `unknown activity \`${name}\`${didYouMean(name, catalog.keys())}`)
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closest(name, candidates);
  return match === undefined ? '' : `; did you mean \`${match}\`?`;
}

/** Whether two strings differ only by one swap of neighbouring characters. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}
