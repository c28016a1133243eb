/**
 * Helpers for the deterministic simulations behind the example activities. Nothing
 * here reads the clock, randomness or the network: the same input always gives the
 * same output, so example runs and their tests are reproducible.
 */

/** A stable 32-bit hash of a string (FNV-1a), used to derive ids and numbers. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A readable id with a prefix, stable for the same seed: `ch_3f2a91c0`. */
export function stableId(prefix: string, seed: string): string {
  return `${prefix}_${stableHash(seed).toString(16).padStart(8, '0')}`;
}

/** A stable integer in [min, max] derived from a seed. */
export function stableInt(seed: string, min: number, max: number): number {
  return min + (stableHash(seed) % (max - min + 1));
}

/** Adds whole months to a `YYYY-MM-DD` date (clamping the day, e.g. Jan 31 + 1 month = Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
