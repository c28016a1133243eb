import { breakingCount } from '../model.js';
import type { DiffFormatter } from './common.js';

/** For scripts: the whole diff, values unabridged. Fields may be added later; none will be removed. */
export const formatDiffJson: DiffFormatter = (diff, context) =>
  JSON.stringify(
    {
      old: { file: context.oldLabel, name: diff.before.name },
      new: { file: context.newLabel, name: diff.after.name },
      summary: { changes: diff.changes.length, breaking: breakingCount(diff) },
      changes: diff.changes,
    },
    null,
    2,
  ) + '\n';
