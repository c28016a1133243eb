import { countBySeverity } from '../diagnostic.js';
import { codeFrame, SourceLines, visible, type FrameStyle } from './code-frame.js';
import { displayPath, summary } from './paths.js';
import type { Formatter } from './types.js';

type Paint = (text: string) => string;

const ansi = (open: number, close: number): Paint => (text) => `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Paint = (text) => text;

/**
 * The human format, one block per diagnostic:
 *
 *   order.yaml:3:11: error: unknown activity `payments.chrge` [unknown-activity]
 *     2 |   - id: charge
 *   > 3 |     call: payments.chrge
 *       |           ^~~~~~~~~~~~~~
 *     4 |     with: { amount: 1 }
 *
 * then a summary line (`2 errors, 1 warning in 5 files` or `✓ 5 files valid`).
 * Colours only when `context.color` is true.
 */
export const formatText: Formatter = (diagnostics, context) => {
  const c = context.color;
  const bold = c ? ansi(1, 22) : plain;
  const dim = c ? ansi(2, 22) : plain;
  const red = c ? ansi(31, 39) : plain;
  const yellow = c ? ansi(33, 39) : plain;
  const green = c ? ansi(32, 39) : plain;

  const lines = new Map<string, SourceLines | null>();
  const sourceLines = (file: string): SourceLines | null => {
    let found = lines.get(file);
    if (found === undefined) {
      const text = context.sources.get(file);
      found = text === undefined ? null : new SourceLines(text);
      lines.set(file, found);
    }
    return found;
  };

  const blocks: string[] = [];
  for (const d of diagnostics) {
    const colour = d.severity === 'error' ? red : yellow;
    const where = `${displayPath(d.file, context.cwd)}:${d.line}:${d.col}`;
    const head = `${bold(where)}: ${bold(colour(d.severity))}: ${visibleMessage(d.message)} ${dim(`[${d.rule}]`)}`;
    const source = sourceLines(d.file);
    const style: FrameStyle = { gutter: dim, marker: (t) => bold(colour(t)) };
    const frame = source ? codeFrame(source, d, style) : '';
    blocks.push(frame ? `${head}\n${frame}\n` : `${head}\n`);
  }
  const counts = countBySeverity(diagnostics);
  const line = summary(counts.error, counts.warning, context.filesChecked);
  blocks.push(counts.error > 0 ? bold(red(line)) : counts.warning > 0 ? bold(yellow(line)) : green(line));
  return `${blocks.join('\n')}\n`;
};

/** Messages may quote file content; keep line breaks, neutralise everything else. */
function visibleMessage(message: string): string {
  return message.split('\n').map(visible).join('\n');
}
