import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `name`, when one is close enough to be a plausible typo:
 * an edit distance of at most a third of the name's length (at least 1), compared
 * case-insensitively. Ties go to the candidate listed first.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const d = distance(wanted, candidate.toLowerCase());
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
