/** Text helpers for the timeline page: escaping for HTML and for the JSON island, and the words and times it shows. Pure. */
import type { Decision, ErrorInfo } from '../../../interpreter/history.js';

/** Text for HTML content and attribute values. */
export function esc(text: string | number | boolean): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * JSON for a `<script type="application/json">` element: no `<`, `>` or `&` (so no
 * `</script>` or `<!--` can end or change the element, whatever strings it holds) and
 * no U+2028/U+2029. `JSON.parse` of the element's text gives the value back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A length of time for people: `850ms`, `1.5s`, `42s`, `3m 05s`, `2h 10m`, `3d 4h`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms < 0) return `-${duration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${trim((ms / 1000).toFixed(2))}s`;
  if (ms < 60_000) return `${trim((ms / 1000).toFixed(1))}s`;
  const [big, small, bigUnit, smallUnit, size] =
    ms < 3_600_000 ? [60_000, 1000, 'm', 's', 60] : ms < 86_400_000 ? [3_600_000, 60_000, 'h', 'm', 60] : [86_400_000, 3_600_000, 'd', 'h', 24];
  let whole = Math.floor(ms / big);
  let rest = Math.round((ms % big) / small);
  if (rest === size) [whole, rest] = [whole + 1, 0];
  return `${whole}${bigUnit} ${String(rest).padStart(2, '0')}${smallUnit}`;
}

const trim = (fixed: string) => fixed.replace(/\.?0+$/, '');

/** A moment as an offset from the run's start: `+1.2s`. */
export function offset(ms: number): string {
  return ms < 0 ? duration(ms) : `+${duration(ms)}`;
}

/** At most `max` characters, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `Type: message` */
export function errorText(error: ErrorInfo): string {
  return `${error.type}: ${error.message}`;
}

/** The decision a step took, in words: `case 2`, `default case`, `3 iterations`, `2 items`, `caught by catch 1`. */
export function decisionText(decision: Decision): string {
  if ('case' in decision) return decision.case === null ? 'no case matched' : decision.case === 'default' ? 'default case' : `case ${decision.case + 1}`;
  if ('iterations' in decision) return `${decision.iterations} iteration${decision.iterations === 1 ? '' : 's'}`;
  if ('items' in decision) return `${decision.items} item${decision.items === 1 ? '' : 's'}`;
  return decision.caught === null ? 'nothing caught' : `caught by catch ${decision.caught + 1}`;
}
