import { breakingCount, type ChangeKind } from '../model.js';
import { headline, shownValues, type DiffFormatter } from './common.js';

const MARKS: Record<ChangeKind, string> = { added: '➕', removed: '➖', changed: '✏️', moved: '↕️' };

/**
 * For a pull request comment: a heading with the counts, a warning when something
 * breaks callers, a table of changes and the new version's flowchart (collapsed,
 * since a big chart would push the discussion down).
 */
export const formatDiffMarkdown: DiffFormatter = (diff, context) => {
  const out = [`### Workflow ${codeSpan(diff.after.name)}: ${headline(diff)}`, '', `Compared ${codeSpan(context.oldLabel)} with ${codeSpan(context.newLabel)}.`, ''];
  const breaking = breakingCount(diff);
  if (breaking > 0) {
    out.push('> [!WARNING]', `> ${breaking === 1 ? '1 breaking change' : `${breaking} breaking changes`}: inputs, signals or queries that worked with the old version can fail with the new one.`, '');
  }
  if (diff.changes.length > 0) {
    out.push('| | Change | Before | After |', '|---|---|---|---|');
    for (const change of diff.changes) {
      const shown = shownValues(change);
      const value = (text: string | undefined) => (text === undefined ? '' : cell(codeSpan(text)));
      const mark = `${MARKS[change.kind]}${change.breaking ? ' ⚠️ **breaking**' : ''}`;
      out.push(`| ${mark} | ${cell(change.summary)} | ${value(shown?.before)} | ${value(shown?.after)} |`);
    }
    out.push('');
  }
  if (context.mermaid !== undefined) {
    out.push('<details><summary>Flowchart of the new version</summary>', '', '```mermaid', context.mermaid.trimEnd(), '```', '', '</details>', '');
  }
  return out.join('\n');
};

/** Text inside a table cell: pipes escaped (even within code spans, as GitHub requires), one line. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A code span that survives backticks in its text: the fence is longer than any run of them inside. */
export function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
