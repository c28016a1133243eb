/** How the page writes times: lengths as the timeline page does, moments in the reader's own time zone. */
export { duration } from '../../history/html/format.js';

export function stamp(iso: string | undefined): string {
  if (iso === undefined) return '-';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A recorded value as the page shows it: JSON, indented. */
export function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}
