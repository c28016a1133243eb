/**
 * The layout of a run's timeline, computed from its record: one row per step (in tree
 * order, with its depth), its bar and the bars of its attempts as offsets from the run's
 * start, and the run-wide markers (signals, hand-overs, the cancel request). Pure.
 */
import type { RunRecord, StepRecord } from '../record.js';

export interface Span {
  /** Milliseconds from the run's start. */
  from: number;
  to: number;
}

export interface AttemptBar extends Span {
  attempt: number;
  failed: boolean;
  /** The error of a failed attempt (type: message). */
  error?: string;
}

export interface TimelineRow {
  step: StepRecord;
  depth: number;
  bar?: Span;
  /** Only for a step that took more than one attempt. */
  attempts: AttemptBar[];
  compensation?: Span & { status: string };
  /** The decision taken, as words (`case 2`, `3 iterations`…). */
  decision?: string;
}

export interface TimelineMarker {
  kind: 'signal' | 'rejected-signal' | 'handover' | 'cancel';
  at: number;
  label: string;
}

export interface Timeline {
  /** Epoch ms of the run's start; every span is relative to it. */
  start: number;
  /** Length of the axis in ms (at least 1). */
  length: number;
  rows: TimelineRow[];
  markers: TimelineMarker[];
}

const ms = (iso: string | undefined): number | undefined => (iso === undefined ? undefined : Date.parse(iso));

export function timelineOf(record: RunRecord, now: number = Date.now()): Timeline {
  const times = [ms(record.startedAt), ...record.steps.flatMap((s) => [ms(s.startedAt), ms(s.endedAt), ms(s.compensation?.endedAt)])].filter((t): t is number => t !== undefined && Number.isFinite(t));
  const start = ms(record.startedAt) ?? Math.min(...times, now);
  const end = ms(record.endedAt) ?? (record.status === 'running' ? Math.max(now, ...times) : Math.max(start, ...times));
  const rel = (t: number) => t - start;
  const rows: TimelineRow[] = [];
  const children = new Map<string | undefined, StepRecord[]>();
  const keys = new Set(record.steps.map((s) => s.key));
  for (const step of record.steps) {
    const parent = step.parent !== undefined && keys.has(step.parent) ? step.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), step]);
  }
  const walk = (parent: string | undefined, depth: number) => {
    for (const step of children.get(parent) ?? []) {
      rows.push(rowOf(step, depth, rel, end));
      walk(step.key, depth + 1);
    }
  };
  walk(undefined, 0);

  const markers: TimelineMarker[] = [];
  const mark = (kind: TimelineMarker['kind'], at: string | undefined, label: string) => {
    const t = ms(at);
    if (t !== undefined) markers.push({ kind, at: rel(t), label });
  };
  for (const s of record.signals) mark('signal', s.at, `signal ${s.name}`);
  for (const s of record.rejectedSignals) mark('rejected-signal', s.at, `rejected ${s.name}`);
  for (const h of record.handovers) mark('handover', h.at, `${h.from} → ${h.to}`);
  if (record.cancelRequested) mark('cancel', record.cancelRequested.at, 'cancel requested');
  return { start, length: Math.max(1, end - start), rows, markers };
}

function rowOf(step: StepRecord, depth: number, rel: (t: number) => number, runEnd: number): TimelineRow {
  const row: TimelineRow = { step, depth, attempts: [] };
  const started = ms(step.startedAt);
  const ended = ms(step.endedAt) ?? (step.status === 'running' ? runEnd : started);
  if (started !== undefined && ended !== undefined) row.bar = { from: rel(started), to: rel(ended) };
  const failures = step.failedAttempts ?? [];
  if (row.bar && failures.length > 0) {
    // Attempt n+1 starts when the pause after the failure of attempt n is over.
    let from = row.bar.from;
    for (const failure of failures) {
      const to = ms(failure.at) === undefined ? from : rel(ms(failure.at)!);
      row.attempts.push({ attempt: failure.attempt, from, to, failed: true, error: `${failure.error.type}: ${failure.error.message}` });
      from = to + (failure.retryInMs ?? 0);
    }
    const last = failures[failures.length - 1]!;
    if ((step.attempts ?? last.attempt) > last.attempt || step.status === 'running') {
      row.attempts.push({ attempt: last.attempt + 1, from: Math.min(from, row.bar.to), to: row.bar.to, failed: step.status === 'failed', ...(step.error && step.status === 'failed' && { error: `${step.error.type}: ${step.error.message}` }) });
    }
  }
  const compensation = step.compensation;
  const compStart = ms(compensation?.startedAt);
  if (compensation && compStart !== undefined) {
    row.compensation = { from: rel(compStart), to: rel(ms(compensation.endedAt) ?? runEnd), status: compensation.status };
  }
  if (step.decision) row.decision = decisionText(step.decision);
  return row;
}

function decisionText(decision: NonNullable<StepRecord['decision']>): string {
  if ('case' in decision) return decision.case === null ? 'no case matched' : decision.case === 'default' ? 'default case' : `case ${decision.case + 1}`;
  if ('iterations' in decision) return `${decision.iterations} iteration${decision.iterations === 1 ? '' : 's'}`;
  if ('items' in decision) return `${decision.items} item${decision.items === 1 ? '' : 's'}`;
  return decision.caught === null ? 'nothing caught' : `caught by catch ${decision.caught + 1}`;
}
