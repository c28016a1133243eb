/**
 * The layout of a run's timeline, computed from its record: one row per step (in tree
 * order, with its depth) with its bar, the bars of its attempts, its compensation and
 * its log messages as offsets from the run's start; the run-wide markers (signals,
 * rejected signals, hand-overs, the cancel request) on label lanes; the axis ticks; and
 * the run's events in time order. Pure: the page is drawn from this.
 */
import type { HistoryEvent } from '../../../interpreter/history.js';
import type { RunRecord, StepRecord } from '../record.js';
import { decisionText, errorText } from './format.js';

export interface Span {
  /** Milliseconds from the run's start. */
  from: number;
  to: number;
}

export interface AttemptBar extends Span {
  attempt: number;
  failed: boolean;
  /** The error of a failed attempt (`Type: message`). */
  error?: string;
  /** The pause before the next attempt. */
  retryInMs?: number;
}

export interface TimelineRow {
  step: StepRecord;
  depth: number;
  bar?: Span;
  /** Only for a step that was retried: every attempt, the failed ones and the last. */
  attempts: AttemptBar[];
  compensation?: Span & { status: string };
  /** The decision taken, in words (`case 2`, `3 iterations`…). */
  decision?: string;
  /** The messages the step logged: index into `record.logs`, and when. */
  logs: { index: number; at: number; level: string }[];
}

export type MarkerKind = 'signal' | 'rejected-signal' | 'handover' | 'cancel';

export interface TimelineMarker {
  kind: MarkerKind;
  /** Index into the record's list of that kind (`signals`, `rejectedSignals`, `handovers`; 0 for the cancel request). */
  index: number;
  at: number;
  label: string;
  /** Label lane (0 at the top): labels that would overlap go on different lanes. */
  lane: number;
  /** The label is drawn to the left of the line (it would run off the end of the axis otherwise, and there is more room on the left). */
  end: boolean;
}

export type EventKind = MarkerKind | 'compensation' | 'log';

/** Something that happened to the run as a whole, for the list under the timeline. */
export interface TimelineEvent {
  kind: EventKind;
  /** Index into the record's list of that kind (`compensations` for compensations, `logs` for logs). */
  index: number;
  /** Undefined when the event has no time (journals written without clocks). */
  at?: number;
  text: string;
  /** The step it concerns, if any. */
  step?: string;
}

export interface Timeline {
  /** Epoch ms of the run's start; every span is relative to it. */
  start: number;
  /** Length of the axis in ms (at least 1). */
  length: number;
  /** Offsets of the axis ticks, at round values. */
  ticks: number[];
  rows: TimelineRow[];
  markers: TimelineMarker[];
  /** Number of label lanes the markers use. */
  lanes: number;
  events: TimelineEvent[];
}

const ms = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/**
 * `events` (the run's history events, optional) give the order of the run's events
 * exactly; without them, they are listed by time (and by kind within a millisecond).
 */
export function timelineOf(record: RunRecord, now: number = Date.now(), events?: readonly HistoryEvent[]): Timeline {
  const times = [
    ms(record.startedAt),
    ms(record.endedAt),
    ...record.steps.flatMap((s) => [ms(s.startedAt), ms(s.endedAt), ms(s.compensation?.startedAt), ms(s.compensation?.endedAt)]),
    ...[...record.signals, ...record.rejectedSignals, ...record.handovers, ...record.logs].map((e) => ms(e.at)),
  ].filter((t): t is number => t !== undefined);
  const start = ms(record.startedAt) ?? (times.length > 0 ? Math.min(...times) : now);
  const end = record.status === 'running' ? Math.max(now, ...times) : ms(record.endedAt) ?? Math.max(start, ...times);
  const length = Math.max(1, end - start);
  const rel = (t: number) => t - start;

  const logsOf = new Map<string, TimelineRow['logs']>();
  record.logs.forEach((log, index) => {
    const at = ms(log.at);
    if (at !== undefined) logsOf.set(log.key, [...(logsOf.get(log.key) ?? []), { index, at: rel(at), level: log.level }]);
  });
  const rows: TimelineRow[] = [];
  const children = new Map<string | undefined, StepRecord[]>();
  const keys = new Set(record.steps.map((s) => s.key));
  for (const step of record.steps) {
    const parent = step.parent !== undefined && keys.has(step.parent) && step.parent !== step.key ? step.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), step]);
  }
  const placed = new Set<string>();
  const walk = (parent: string | undefined, depth: number) => {
    for (const step of children.get(parent) ?? []) {
      if (placed.has(step.key)) continue; // a record with a cycle of parents: show each step once
      placed.add(step.key);
      rows.push(rowOf(step, depth, rel, rel(end), logsOf.get(step.key) ?? []));
      walk(step.key, depth + 1);
    }
  };
  walk(undefined, 0);
  // Steps whose parents form a cycle are not reachable from the top: show them anyway.
  for (const step of record.steps) {
    if (placed.has(step.key)) continue;
    placed.add(step.key);
    rows.push(rowOf(step, 0, rel, rel(end), logsOf.get(step.key) ?? []));
    walk(step.key, 1);
  }

  const markers: Omit<TimelineMarker, 'lane' | 'end'>[] = [];
  const list: TimelineEvent[] = [];
  const add = (kind: EventKind, index: number, at: string | undefined, text: string, marker?: string, step?: string) => {
    const t = ms(at);
    list.push({ kind, index, ...(t !== undefined && { at: rel(t) }), text, ...(step !== undefined && { step }) });
    if (marker !== undefined && t !== undefined) markers.push({ kind: kind as MarkerKind, index, at: rel(t), label: marker });
  };
  record.signals.forEach((s, i) => add('signal', i, s.at, `signal ${s.name} received`, `signal ${s.name}`));
  record.rejectedSignals.forEach((s, i) => add('rejected-signal', i, s.at, `signal ${s.name} rejected: ${s.reason}`, `rejected ${s.name}`));
  record.handovers.forEach((h, i) => add('handover', i, h.at, `handed over from ${h.from} to ${h.to}: ${h.reason}`, `${h.from} → ${h.to}`));
  if (record.cancelRequested) add('cancel', 0, record.cancelRequested.at, `cancel requested: ${record.cancelRequested.reason}`, 'cancel requested');
  const byKey = new Map(record.steps.map((s) => [s.key, s]));
  record.compensations.forEach((key, i) => {
    const c = byKey.get(key)?.compensation;
    add('compensation', i, c?.startedAt, `compensation of ${key}${c ? ` ${c.status}` : ''}${c?.error ? `: ${errorText(c.error)}` : ''}`, undefined, key);
  });
  record.logs.forEach((log, i) => add('log', i, log.at, `${log.level}: ${log.message}`, undefined, log.key));
  const order = events ? orderOf(events) : new Map<string, number>();
  const position = (e: TimelineEvent) => order.get(`${e.kind}:${e.index}`) ?? Infinity;
  list.sort((a, b) => position(a) - position(b) || (a.at ?? Infinity) - (b.at ?? Infinity));

  const laned = lanesOf(markers, length);
  return { start, length, ticks: ticksOf(length), rows, markers: laned, lanes: laned.reduce((n, m) => Math.max(n, m.lane + 1), 0), events: list };
}

/** Where each run event (`kind:index`, as in TimelineEvent) comes among the history events. */
function orderOf(events: readonly HistoryEvent[]): Map<string, number> {
  const order = new Map<string, number>();
  const counts: Partial<Record<EventKind, number>> = {};
  const kinds: Partial<Record<HistoryEvent['type'], EventKind>> = {
    'signal.received': 'signal', 'signal.rejected': 'rejected-signal', 'engine.handover': 'handover', 'cancel.requested': 'cancel', 'compensation.started': 'compensation', log: 'log',
  };
  events.forEach((event, position) => {
    const kind = kinds[event.type];
    if (kind === undefined) return;
    const index = kind === 'cancel' ? 0 : counts[kind] ?? 0; // the record keeps the last cancel request
    counts[kind] = index + 1;
    order.set(`${kind}:${index}`, position);
  });
  return order;
}

function rowOf(step: StepRecord, depth: number, rel: (t: number) => number, runEnd: number, logs: TimelineRow['logs']): TimelineRow {
  const row: TimelineRow = { step, depth, attempts: [], logs };
  const started = ms(step.startedAt);
  if (started !== undefined) {
    const ended = ms(step.endedAt);
    row.bar = { from: rel(started), to: ended !== undefined ? rel(ended) : step.status === 'running' ? runEnd : rel(started) };
  }
  const failures = step.failedAttempts ?? [];
  if (row.bar && failures.length > 0) {
    // Attempt n+1 starts when the pause after the failure of attempt n is over.
    let from = row.bar.from;
    for (const failure of failures) {
      const failedAt = ms(failure.at);
      const to = failedAt === undefined ? from : Math.max(from, rel(failedAt));
      row.attempts.push({ attempt: failure.attempt, from, to, failed: true, error: errorText(failure.error), ...(failure.retryInMs !== undefined && { retryInMs: failure.retryInMs }) });
      from = Math.min(to + (failure.retryInMs ?? 0), row.bar.to);
    }
    const last = failures[failures.length - 1]!;
    // The last attempt, unless it is among the failures (a step that gave up records its last failure on the step).
    if ((step.attempts ?? last.attempt) > last.attempt || step.status === 'running') {
      const failed = step.status === 'failed';
      row.attempts.push({ attempt: last.attempt + 1, from, to: Math.max(from, row.bar.to), failed, ...(failed && step.error && { error: errorText(step.error) }) });
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

/** The narrowest the axis is drawn (px), and a label's width there (px): labels are 11px system-ui text with padding. */
const AXIS_PX = 520;
const labelPx = (label: string) => label.length * 6.5 + 16;

/**
 * Puts each marker's label on the first lane where it overlaps no other label, drawn to
 * the right of its line, or to the left when it would run off the end of the axis.
 */
function lanesOf(markers: Omit<TimelineMarker, 'lane' | 'end'>[], length: number, max = 4): TimelineMarker[] {
  const lanes: [number, number][][] = [];
  const gap = (4 / AXIS_PX) * length;
  return [...markers]
    .sort((a, b) => a.at - b.at)
    .map((marker) => {
      const width = (labelPx(marker.label) / AXIS_PX) * length;
      const end = marker.at + width > length && marker.at > length / 2;
      const span: [number, number] = end ? [marker.at - width, marker.at] : [marker.at, marker.at + width];
      const overlaps = (lane: [number, number][]) => lane.filter(([from, to]) => span[0] < to + gap && from < span[1] + gap).length;
      let lane = lanes.findIndex((l) => overlaps(l) === 0);
      if (lane === -1 && lanes.length < max) lane = lanes.length;
      if (lane === -1) lane = lanes.reduce((best, l, i) => (overlaps(l) < overlaps(lanes[best]!) ? i : best), 0);
      (lanes[lane] ??= []).push(span);
      return { ...marker, lane, end };
    });
}

/** Round steps for the axis, from 1 ms to a week. */
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000, 172_800_000, 604_800_000];

/** Ticks at round values: at most `count` steps over the axis, starting at 0. */
export function ticksOf(length: number, count = 6): number[] {
  const step = STEPS.find((s) => length / s <= count) ?? Math.ceil(length / count / 604_800_000) * 604_800_000;
  const ticks: number[] = [];
  for (let t = 0; t <= length + 1e-9; t += step) ticks.push(t);
  return ticks;
}
