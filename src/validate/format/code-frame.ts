/**
 * A code frame: the lines around a diagnostic with a line-number gutter and a
 * caret under the offending range, e.g.
 *
 *     2 |   - id: charge
 *   > 3 |     call: payments.chrge
 *       |           ^~~~~~~~~~~~~~
 *     4 |     with: { amount: 1 }
 */

/** The lines of one text, split once and shared by every frame of that file. */
export class SourceLines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  /** Line `n` (1-based) without its line break, or undefined past the end. */
  line(n: number): string | undefined {
    const start = this.starts[n - 1];
    if (start === undefined) return undefined;
    const next = this.starts[n];
    const line = this.text.slice(start, next === undefined ? this.text.length : next - 1);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }
}

export interface FrameRange {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface FrameStyle {
  /** Paints the gutter (line numbers, `|`). */
  gutter(text: string): string;
  /** Paints the caret line and the `>` marker. */
  marker(text: string): string;
}

const PLAIN: FrameStyle = { gutter: (t) => t, marker: (t) => t };

/** Lines of context shown before and after the offending line. */
const CONTEXT = 1;
/** Lines longer than this are shown as a window around the range. */
const MAX_WIDTH = 120;

/**
 * Renders the frame for `range` in `lines`; returns '' when the range lies outside
 * the text (nothing useful to show).
 */
export function codeFrame(lines: SourceLines, range: FrameRange, style: FrameStyle = PLAIN): string {
  const target = lines.line(range.line);
  if (target === undefined || range.line < 1) return '';
  const first = Math.max(1, range.line - CONTEXT);
  const last = Math.min(lines.count, range.line + CONTEXT);
  // A file ending in a newline has an empty last "line"; don't show it as context.
  const shownLast = last > range.line && last === lines.count && lines.line(last) === '' ? last - 1 : last;
  const width = String(shownLast).length;

  // Caret span on the first line of the range, in UTF-16 code units like the columns.
  const start = Math.min(Math.max(range.col - 1, 0), target.length);
  let end = range.endLine === range.line ? range.endCol - 1 : target.trimEnd().length;
  end = Math.min(end, target.length);
  if (end <= start) end = start + 1;

  // Very long lines (minified or junk input) are cut to a window around the range.
  let from = 0;
  if (target.length > MAX_WIDTH) from = Math.max(0, Math.min(start - 20, target.length - MAX_WIDTH));
  const to = from + MAX_WIDTH;
  const cut = (line: string): string =>
    line.length <= MAX_WIDTH && from === 0 ? visible(line) : (from > 0 ? '…' : '') + visible(line.slice(from, to)) + (line.length > to ? '…' : '');

  const out: string[] = [];
  for (let n = first; n <= shownLast; n++) {
    const text = cut(lines.line(n) ?? '');
    const gutter = ` ${String(n).padStart(width)} |`;
    const head = n === range.line ? style.marker('>') + style.gutter(gutter) : ' ' + style.gutter(gutter);
    out.push(text === '' ? head : `${head} ${text}`);
    if (n === range.line) {
      // Keep tabs in the padding so the caret lines up under tab-indented text.
      const before = target.slice(from, start);
      const pad = (from > 0 ? ' ' : '') + before.replace(/[^\t]/g, ' ');
      const length = Math.min(end, to) - start;
      const caret = '^' + '~'.repeat(Math.max(0, length - 1));
      out.push(` ${style.gutter(`${' '.repeat(width + 2)}|`)} ${pad}${style.marker(caret)}`);
    }
  }
  return out.join('\n');
}

/**
 * Replaces characters that would alter the terminal (control characters, escape
 * sequences, bidirectional overrides) with U+FFFD, one code unit for one, so
 * columns still line up.
 */
export function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}
