/**
 * What the details panel shows for each thing on the page that can be selected: the
 * run's input / output / error, each step, each attempt of a retried step, signals,
 * rejected signals, hand-overs, the cancel request, compensations and log messages.
 * Computed here (pure, with the page's wording and times) and embedded in the page as
 * JSON; the page's script only displays it, with textContent.
 *
 * Panel ids (`data-panel` on the element that opens it): `run:input`, `run:output`,
 * `run:error`, `step:<key>`, `attempt:<key>:<n>`, `signal:<i>`, `rejected-signal:<i>`,
 * `handover:<i>`, `cancel:0`, `compensation:<i>`, `log:<i>` (i: index in the record's list).
 */
import type { Json } from '../../../interpreter/model.js';
import type { RunRecord, StepRecord } from '../record.js';
import { duration, errorText, offset } from './format.js';
import type { Timeline, TimelineRow } from './timeline.js';

/** A value shown whole: JSON pretty-printed, or text as it is. */
export type Block = { name: string; json: Json } | { name: string; text: string };

export interface Panel {
  title: string;
  /** What it is: `step`, `attempt`, `signal`, `run`… */
  kind: string;
  /** A status to show as a badge (`completed`, `failed`…). */
  status?: string;
  /** Short facts, as [name, text]. */
  facts: [string, string][];
  blocks: Block[];
}

export function panelsOf(record: RunRecord, timeline: Timeline): Record<string, Panel> {
  const at = (iso: string | undefined) => (iso === undefined ? undefined : `${offset(Date.parse(iso) - timeline.start)} · ${iso}`);
  const facts = (...pairs: [string, string | number | undefined][]): [string, string][] =>
    pairs.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '').map(([k, v]) => [k, String(v)]);
  const panels: Record<string, Panel> = {};

  panels['run:input'] = { title: 'run input', kind: 'run', facts: facts(['started by', record.trigger.by], ['at', at(record.trigger.at ?? record.startedAt)]), blocks: [{ name: 'input', json: record.trigger.input }] };
  if (record.output !== undefined) panels['run:output'] = { title: 'run output', kind: 'run', status: record.status, facts: facts(['ended', at(record.endedAt)]), blocks: [{ name: 'output', json: record.output }] };
  if (record.error !== undefined) panels['run:error'] = { title: 'run error', kind: 'run', status: record.status, facts: facts(['ended', at(record.endedAt)], ['step', record.error.step], ['attempt', record.error.attempt]), blocks: [{ name: 'error', json: record.error as unknown as Json }] };

  const logsOf = new Map<string, string[]>();
  for (const log of record.logs) logsOf.set(log.key, [...(logsOf.get(log.key) ?? []), `${at(log.at) ?? ''}  ${log.level}: ${log.message}`.trim()]);
  for (const row of timeline.rows) {
    Object.assign(panels, stepPanels(row, at, facts, logsOf.get(row.step.key)));
  }

  record.signals.forEach((s, i) => {
    panels[`signal:${i}`] = { title: `signal ${s.name}`, kind: 'signal', status: 'received', facts: facts(['received', at(s.at)], ['sequence', s.seq]), blocks: [{ name: 'payload', json: s.payload }] };
  });
  record.rejectedSignals.forEach((s, i) => {
    panels[`rejected-signal:${i}`] = { title: `signal ${s.name}`, kind: 'rejected signal', status: 'rejected', facts: facts(['rejected', at(s.at)]), blocks: [{ name: 'reason', text: s.reason }] };
  });
  record.handovers.forEach((h, i) => {
    panels[`handover:${i}`] = { title: `${h.from} → ${h.to}`, kind: 'hand-over', facts: facts(['from', h.from], ['to', h.to], ['at', at(h.at)]), blocks: [{ name: 'reason', text: h.reason }] };
  });
  if (record.cancelRequested) {
    panels['cancel:0'] = { title: 'cancel requested', kind: 'cancel', facts: facts(['at', at(record.cancelRequested.at)]), blocks: [{ name: 'reason', text: record.cancelRequested.reason }] };
  }
  const byKey = new Map(record.steps.map((s) => [s.key, s]));
  record.compensations.forEach((key, i) => {
    const c = byKey.get(key)?.compensation;
    panels[`compensation:${i}`] = {
      title: `compensation of ${key}`,
      kind: 'compensation',
      ...(c && { status: c.status }),
      facts: facts(['order', `${i + 1} of ${record.compensations.length}`], ['started', at(c?.startedAt)], ['ended', at(c?.endedAt)]),
      blocks: c?.error ? [{ name: 'error', json: c.error as unknown as Json }] : [],
    };
  });
  record.logs.forEach((log, i) => {
    panels[`log:${i}`] = {
      title: log.message.split('\n')[0]!.slice(0, 120),
      kind: 'log',
      status: log.level,
      facts: facts(['level', log.level], ['step', log.key], ['at', at(log.at)]),
      blocks: [{ name: 'message', text: log.message }, ...(log.data !== undefined ? [{ name: 'data', json: log.data }] : [])],
    };
  });
  return panels;
}

function stepPanels(
  row: TimelineRow,
  at: (iso: string | undefined) => string | undefined,
  facts: (...pairs: [string, string | number | undefined][]) => [string, string][],
  logs: string[] | undefined,
): Record<string, Panel> {
  const s: StepRecord = row.step;
  const value = (name: string, json: Json | undefined): Block[] => (json === undefined ? [] : [{ name, json }]);
  const attemptLines = row.attempts.map(
    (a) => `#${a.attempt}  ${offset(a.from)}  ${duration(a.to - a.from)}  ${a.failed ? `failed: ${a.error ?? ''}` : s.status === 'running' && a === row.attempts.at(-1) ? 'running' : 'succeeded'}${a.retryInMs !== undefined ? `  (retried after ${duration(a.retryInMs)})` : ''}`,
  );
  const compensation = s.compensation && {
    status: s.compensation.status,
    ...(s.compensation.startedAt !== undefined && { startedAt: s.compensation.startedAt }),
    ...(s.compensation.endedAt !== undefined && { endedAt: s.compensation.endedAt }),
    ...(s.compensation.error !== undefined && { error: s.compensation.error as unknown as Json }),
  };
  const panels: Record<string, Panel> = {
    [`step:${s.key}`]: {
      title: s.key,
      kind: 'step',
      status: s.status,
      facts: facts(
        ['kind', s.activity !== undefined ? `${s.kind} ${s.activity}` : s.kind],
        ['engine', s.engine],
        ['reused', s.reused ? 'yes: answered from the recorded run this one re-runs; nothing ran for it here' : undefined],
        ['started', at(s.startedAt)],
        ['ended', at(s.endedAt)],
        ['duration', s.durationMs !== undefined ? duration(s.durationMs) : undefined],
        ['attempts', s.attempts],
        ['decision', row.decision],
        ['parent', s.parent],
      ),
      blocks: [
        ...value('input', s.input),
        ...value('output', s.output),
        ...value('error', s.error as unknown as Json | undefined),
        ...(attemptLines.length > 0 ? [{ name: 'attempts', text: attemptLines.join('\n') }] : []),
        ...value('decision', s.decision as unknown as Json | undefined),
        ...value('compensation', compensation),
        ...(logs ? [{ name: 'logs', text: logs.join('\n') }] : []),
      ],
    },
  };
  const total = row.attempts.at(-1)?.attempt ?? s.attempts;
  for (const a of row.attempts) {
    const last = a === row.attempts.at(-1) && !a.failed;
    const error = s.failedAttempts?.find((f) => f.attempt === a.attempt)?.error ?? (a.failed ? s.error : undefined);
    panels[`attempt:${s.key}:${a.attempt}`] = {
      title: `${s.key} · attempt ${a.attempt} of ${total}`,
      kind: 'attempt',
      status: a.failed ? 'failed' : last && s.status === 'running' ? 'running' : 'completed',
      facts: facts(['step', s.key], ['engine', s.engine], ['started', offset(a.from)], ['ended', offset(a.to)], ['duration', duration(a.to - a.from)], ['retried after', a.retryInMs !== undefined ? duration(a.retryInMs) : undefined]),
      blocks: [...value('error', error as unknown as Json | undefined), ...value('input', s.input), ...(last ? value('output', s.output) : [])],
    };
  }
  return panels;
}
