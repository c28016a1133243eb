import { oneLine, plural } from '../../text.js';
import type { Change, DefinitionDiff } from '../model.js';
import { breakingCount } from '../model.js';

/** What every diff format needs besides the diff. */
export interface DiffFormatContext {
  /** How to name the two versions: file paths, or `<ref>:<path>` for a git revision. */
  oldLabel: string;
  newLabel: string;
  /** ANSI colours (text format only). */
  color: boolean;
  /** The new version's flowchart in Mermaid (markdown format only). */
  mermaid?: string;
}

export type DiffFormatter = (diff: DefinitionDiff, context: DiffFormatContext) => string;

/** `no changes`, `1 change`, `9 changes, 2 breaking`. */
export function headline(diff: DefinitionDiff): string {
  if (diff.changes.length === 0) return 'no changes';
  const breaking = breakingCount(diff);
  return `${plural(diff.changes.length, 'change')}${breaking > 0 ? `, ${breaking} breaking` : ''}`;
}

/** Longest value shown beside a change; the JSON format has them whole. */
const VALUE_MAX = 80;

/**
 * The old and new value worth printing beside a change, as one-line JSON: only for
 * something changed. The summary of an addition, removal or move says it all (a
 * whole added step would drown the list).
 */
export function shownValues(change: Change): { before: string; after: string } | undefined {
  return change.kind === 'changed' ? { before: oneLine(change.before, VALUE_MAX), after: oneLine(change.after, VALUE_MAX) } : undefined;
}
