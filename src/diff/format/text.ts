import { palette, type Paint } from '../../text.js';
import type { ChangeKind } from '../model.js';
import { headline, shownValues, type DiffFormatter } from './common.js';

const MARKS: Record<ChangeKind, string> = { added: '+', removed: '-', changed: '~', moved: '>' };

/**
 * For a terminal: a headline, then one line per change, marked `+ - ~ >`, with
 * `[breaking]` on the breaking ones and old → new values under changed ones.
 */
export const formatDiffText: DiffFormatter = (diff, context) => {
  const p = palette(context.color);
  const paint: Record<ChangeKind, Paint> = { added: p.green, removed: p.red, changed: p.yellow, moved: p.cyan };
  const lines = [`${p.bold(diff.after.name)}: ${headline(diff)} (${context.oldLabel} → ${context.newLabel})`];
  for (const change of diff.changes) {
    const breaking = change.breaking ? ` ${p.red(p.bold('[breaking]'))}` : '';
    lines.push(`  ${paint[change.kind](MARKS[change.kind])} ${change.summary}${breaking}`);
    const shown = shownValues(change);
    if (shown) lines.push(p.dim(`      ${shown.before} → ${shown.after}`));
  }
  return lines.join('\n') + '\n';
};
