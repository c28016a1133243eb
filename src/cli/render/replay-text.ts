/** The text form of `revo replay`: the rebuilt step trace, then the verdict. */
import type { RunRecord, StepRecord } from '../../history/record.js';
import type { Divergence } from '../../replay/divergence.js';
import { palette, plural } from '../../text.js';

export interface ReplayReport {
  /** What was replayed: `run … (local journal)`, `file … (Temporal history)`. */
  label: string;
  /** The definition the replay used: `the recorded definition` or a file. */
  against: string;
  /** The recorded run's record (status, engines). */
  recorded: RunRecord;
  /** The record the replay rebuilt. */
  replayed: RunRecord;
  divergence: Divergence | undefined;
  /** Why the current workflow code does not replay the Temporal history, if it does not. */
  temporalProblem?: string;
  /** Said after the verdict (a changed file, …). */
  notes: string[];
}

export function renderReplayText(report: ReplayReport, options: { color: boolean }): string {
  const p = palette(options.color);
  const { recorded, replayed } = report;
  const lines = [
    `${p.bold('replay of')} ${report.label}: workflow ${recorded.workflow}${recorded.version !== undefined ? ` v${recorded.version}` : ''}, ${recorded.status}, with ${report.against}`,
  ];
  const depth = new Map<string, number>();
  const moved = recorded.handovers.length > 0;
  for (const step of replayed.steps) {
    const level = step.parent !== undefined && depth.has(step.parent) ? depth.get(step.parent)! + 1 : 0;
    depth.set(step.key, level);
    const engine = moved ? recorded.steps.find((s) => s.key === step.key)?.engine : undefined;
    lines.push(`${'  '.repeat(level + 1)}${symbol(step, p)} ${step.key}  ${p.dim(describe(step, engine))}`);
  }
  if (report.temporalProblem) lines.push(`${p.red('✗')} the current workflow code does not replay the run's Temporal history: ${report.temporalProblem}`);
  if (report.divergence) lines.push(`${p.red('✗')} diverges: ${report.divergence.message}`);
  if (!report.temporalProblem && !report.divergence) {
    lines.push(`${p.green('✓')} replays identically: ${plural(replayed.steps.length, 'step')} rebuilt from the record, nothing run`);
  }
  for (const note of report.notes) lines.push(p.dim(note));
  return `${lines.join('\n')}\n`;
}

function symbol(step: StepRecord, p: ReturnType<typeof palette>): string {
  return { completed: p.green('✓'), failed: p.red('✗'), skipped: p.dim('-'), running: p.cyan('●'), compensated: p.magenta('↺') }[step.status];
}

function describe(step: StepRecord, engine: string | undefined): string {
  const parts = [step.activity !== undefined ? `${step.kind} ${step.activity}` : step.kind];
  if (step.attempts !== undefined) parts.push(plural(step.attempts, 'attempt'));
  if (step.status !== 'completed') parts.push(step.status);
  if (engine !== undefined) parts.push(`on ${engine}`);
  return parts.join(' · ');
}
