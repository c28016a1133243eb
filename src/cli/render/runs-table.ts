/** The text form of `revo runs`: one row per run, newest first. */
import type { RunSummary } from '../../api/list-runs.js';
import { formatDuration, paintStatus, palette, shortTime } from '../../text.js';

/** One row of `revo runs` (also its --json form): a run as `Revo.listRuns` lists it. */
export type RunRow = RunSummary;

export function renderRunsTable(rows: readonly RunRow[], options: { color: boolean }): string {
  const p = palette(options.color);
  const header = ['RUN', 'WORKFLOW', 'STATUS', 'ENGINE', 'STARTED', 'DURATION', 'STEPS'];
  const cells = rows.map((row) => [
    row.parent !== undefined ? `${row.runId} (child)` : row.runId,
    row.version !== undefined ? `${row.workflow} v${row.version}` : row.workflow,
    row.status,
    row.engine,
    shortTime(row.startedAt),
    row.durationMs === undefined ? '-' : `${formatDuration(row.durationMs)}${row.status === 'running' ? '…' : ''}`,
    row.stepsDone === undefined ? '-' : String(row.stepsDone),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[], paint: (i: number, padded: string) => string) =>
    values.map((v, i) => paint(i, i === values.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    line(header, (_, v) => p.dim(v)),
    ...cells.map((c, r) => line(c, (i, v) => (i === 2 ? v.replace(rows[r]!.status, paintStatus(rows[r]!.status, p)) : v))),
  ].join('\n') + '\n';
}
