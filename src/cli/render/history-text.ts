/**
 * The text form of `revo history`: a header, every step as a tree with what went in
 * and out of it, then signals, compensations, logs and the result. The JSON form is
 * the RunRecord itself; this one is for reading.
 */
import type { Decision, ErrorInfo } from '../../../interpreter/history.js';
import type { RunRecord, StepRecord } from '../../history/record.js';
import { between, displayStatus, formatDuration, oneLine, paintStatus, plural, type Palette, palette } from '../../text.js';

export interface HistoryTextOptions {
  color: boolean;
  /** Whether a live process holds the run now (a `running` run without one was interrupted). */
  held: boolean;
  /** Print inputs, outputs and payloads whole (pretty-printed) instead of one line each. */
  full?: boolean;
  /** For the duration of a running run; default Date.now(). */
  now?: number;
}

/** Longest one-line JSON value before it is cut with `…`. */
const LINE = 100;

export function renderHistoryText(record: RunRecord, options: HistoryTextOptions): string {
  const p = palette(options.color);
  const out = new Lines(p, options.full === true);
  const status = displayStatus(record.status, options.held);

  out.push(`${p.bold('run')} ${p.bold(record.runId)}`);
  const field = (name: string, value: string) => out.push(`  ${p.dim(name.padEnd(9))} ${value}`);
  field('workflow', `${record.workflow}${record.version !== undefined ? ` ${p.dim('v')}${record.version}` : ''}`);
  field('hash', record.hash);
  const moved = record.handovers.length > 0;
  field('engine', moved ? [record.handovers[0]!.from, ...record.handovers.map((h) => h.to)].join(' → ') : record.engine);
  for (const h of record.handovers) field('handover', `to ${h.to}${h.at ? ` at ${h.at}` : ''} ${p.dim(`(${h.reason})`)}`);
  field(
    'status',
    status === 'interrupted' ? `${paintStatus(status, p)} — resume with: revo resume ${record.runId}` : paintStatus(status, p),
  );
  if (record.parent !== undefined) field('parent', `${record.parent} ${p.dim('(this run is a child of that run)')}`);
  if (record.rerun !== undefined) {
    const reused = record.steps.filter((s) => s.reused).length;
    field('rerun', `of ${record.rerun.of} from step ${record.rerun.from} ${p.dim(`(${plural(reused, 'step')} before it reused from that run, marked "reused")`)}`);
  }
  out.value(2, 'trigger'.padEnd(10), record.trigger.input, `${record.trigger.by} ${p.dim('· input')} `);
  field('started', record.startedAt ?? '-');
  if (record.endedAt !== undefined) field('ended', record.endedAt);
  const took = between(record.startedAt, record.endedAt ?? (status === 'running' ? new Date(options.now ?? Date.now()).toISOString() : undefined));
  if (took !== undefined) field('duration', record.endedAt !== undefined ? formatDuration(took) : `${formatDuration(took)} so far`);
  if (record.cancelRequested) {
    field('cancel', `requested${record.cancelRequested.at ? ` at ${record.cancelRequested.at}` : ''}: ${record.cancelRequested.reason}`);
  }

  out.blank();
  out.push(p.bold('steps'));
  if (record.steps.length === 0) out.push(`  ${p.dim('no step has started')}`);
  const children = new Map<string | undefined, StepRecord[]>();
  const keys = new Set(record.steps.map((s) => s.key));
  for (const step of record.steps) {
    const parent = step.parent !== undefined && keys.has(step.parent) ? step.parent : undefined;
    const siblings = children.get(parent) ?? [];
    siblings.push(step);
    children.set(parent, siblings);
  }
  const walk = (parent: string | undefined, depth: number) => {
    for (const step of children.get(parent) ?? []) {
      renderStep(out, step, depth, status === 'interrupted', moved);
      walk(step.key, depth + 1);
    }
  };
  walk(undefined, 0);

  if (record.signals.length > 0 || record.rejectedSignals.length > 0) {
    out.blank();
    out.push(p.bold('signals'));
    for (const s of record.signals) out.value(2, '', s.payload, `${p.green('received')} #${s.seq} ${s.name}${s.at ? p.dim(` at ${s.at}`) : ''} `);
    for (const s of record.rejectedSignals) out.push(`  ${p.red('rejected')} ${s.name}${s.at ? p.dim(` at ${s.at}`) : ''}: ${s.reason}`);
  }

  if (record.compensations.length > 0) {
    out.blank();
    out.push(`${p.bold('compensations')} ${p.dim('(in the order they ran)')}`);
    record.compensations.forEach((key, i) => {
      const compensation = record.steps.find((s) => s.key === key)?.compensation;
      const outcome = compensation ? compensationText(compensation, p) : p.dim('unknown');
      out.push(`  ${i + 1}. ${key}  ${outcome}`);
      if (compensation?.error) out.error(6, compensation.error, { label: 'error   ' });
    });
  }

  if (record.logs.length > 0) {
    out.blank();
    out.push(p.bold('logs'));
    for (const log of record.logs) {
      const level = log.level === 'error' ? p.red(log.level) : log.level === 'warn' ? p.yellow(log.level) : log.level;
      const head = `${log.at ? `${p.dim(log.at)} ` : ''}${level.padEnd(5 + level.length - log.level.length)} ${p.dim(log.key)} ${log.message}`;
      if (log.data === undefined) out.push(`  ${head}`);
      else out.value(2, '', log.data, `${head} `);
    }
  }

  out.blank();
  if (record.status === 'completed') {
    out.push(p.bold('output'));
    out.value(2, '', record.output ?? null);
  } else if (record.error) {
    out.push(p.bold(record.status === 'cancelled' ? 'cancelled' : 'error'));
    out.error(2, record.error, { withStep: true });
  } else if (status === 'interrupted') {
    out.push(`${p.yellow('interrupted')}: no process is running it now; continue it with: revo resume ${record.runId}`);
  } else {
    out.push(p.dim('still running'));
  }
  return out.text();
}

/** `showEngine`: the run moved between engines, so each step says where it ran. */
function renderStep(out: Lines, step: StepRecord, depth: number, interrupted: boolean, showEngine: boolean): void {
  const p = out.p;
  const indent = 2 + depth * 2;
  const detail = indent + 4;
  const status = step.status === 'running' && interrupted ? 'interrupted' : step.status;
  const symbol = {
    completed: p.green('✓'), failed: p.red('✗'), skipped: p.dim('-'), running: p.cyan('●'), compensated: p.magenta('↺'), interrupted: p.yellow('●'),
  }[status];
  const parts: string[] = [step.activity !== undefined ? `${step.kind} ${step.activity}` : step.kind];
  if (step.parent !== undefined && step.key.startsWith(`${step.parent}~/`)) parts.push('compensation');
  if (step.attempts !== undefined) parts.push(plural(step.attempts, 'attempt'));
  if (step.durationMs !== undefined) parts.push(formatDuration(step.durationMs));
  if (showEngine && step.engine !== undefined) parts.push(`on ${step.engine}`);
  if (step.reused) parts.push(p.cyan('reused'));
  if (status !== 'completed') parts.push(status === 'failed' ? p.red(status) : status === 'compensated' ? p.magenta(status) : status === 'skipped' ? status : p.yellow(status));
  out.push(`${' '.repeat(indent)}${symbol} ${p.bold(step.key)}  ${p.dim(parts.join(' · '))}`);
  if (step.input !== undefined) out.value(detail, 'input   ', step.input);
  for (const failure of step.failedAttempts ?? []) {
    const retry = failure.retryInMs !== undefined ? ` — retried in ${formatDuration(failure.retryInMs)}` : '';
    out.push(`${' '.repeat(detail)}${p.yellow(`attempt ${failure.attempt} failed`)}: ${errorLine(failure.error)}${p.dim(retry)}`);
  }
  if (step.decision) out.push(`${' '.repeat(detail)}${p.dim('decision')} ${decisionText(step.decision)}`);
  if (step.output !== undefined) out.value(detail, 'output  ', step.output);
  if (step.error) out.error(detail, step.error, { label: 'error   ' });
  if (step.compensation) {
    out.push(`${' '.repeat(detail)}${p.dim('compensation')} ${compensationText(step.compensation, p)}`);
    if (step.compensation.error) out.error(detail + 2, step.compensation.error, { label: 'error   ' });
  }
}

function decisionText(decision: Decision): string {
  if ('case' in decision) {
    if (decision.case === null) return 'no case matched; nothing ran';
    return decision.case === 'default' ? 'no case matched; default taken' : `case ${decision.case + 1} taken`;
  }
  if ('iterations' in decision) return plural(decision.iterations, 'iteration');
  if ('items' in decision) return plural(decision.items, 'item');
  return decision.caught === null ? 'no catch clause matched; the error went on' : `caught by catch clause ${decision.caught + 1}`;
}

function compensationText(compensation: NonNullable<StepRecord['compensation']>, p: Palette): string {
  const took = between(compensation.startedAt, compensation.endedAt);
  const time = took !== undefined ? p.dim(` (${formatDuration(took)})`) : '';
  if (compensation.status === 'completed') return `${p.green('completed')}${time}`;
  if (compensation.status === 'failed') return `${p.red('failed')}${time}`;
  return p.yellow('running');
}

function errorLine(error: ErrorInfo): string {
  return `${error.type}: ${error.message}`;
}

/** Characters a terminal shows: without ANSI colour codes. */
function visibleLength(text: string): number {
  return Array.from(text.replace(/\x1b\[[0-9;]*m/g, '')).length;
}

/** Accumulates output lines with the palette and the one-line/full choice at hand. */
class Lines {
  private readonly lines: string[] = [];

  constructor(
    readonly p: Palette,
    private readonly full: boolean,
  ) {}

  push(line: string): void {
    // Messages may hold newlines: keep what follows aligned under the line's start.
    const indent = /^ */.exec(line)![0].length;
    const [first, ...rest] = line.split('\n');
    this.lines.push(first!, ...rest.map((l) => ' '.repeat(indent + 2) + l));
  }

  blank(): void {
    this.lines.push('');
  }

  /** `label value` with the value as one-line JSON (cut at LINE chars), or pretty-printed with --full. */
  value(indent: number, label: string, value: unknown, prefix = ''): void {
    const pad = ' '.repeat(indent);
    const head = `${pad}${label ? this.p.dim(label) : ''}${prefix}`;
    if (!this.full) {
      this.lines.push(`${head}${oneLine(value, LINE)}`);
      return;
    }
    const pretty = JSON.stringify(value === undefined ? null : value, null, 2) ?? 'null';
    const [first, ...rest] = pretty.split('\n');
    // Later lines start under the value's first character, so the closing bracket lines up with the opening one.
    const under = ' '.repeat(visibleLength(head));
    this.lines.push(`${head}${first}`, ...rest.map((l) => `${under}${l}`));
  }

  error(indent: number, error: ErrorInfo, how: { label?: string; withStep?: boolean } = {}): void {
    const pad = ' '.repeat(indent);
    const where = how.withStep && error.step ? ` ${this.p.dim(`in step "${error.step}"`)}` : '';
    this.push(`${pad}${how.label ? this.p.dim(how.label) : ''}${this.p.red(error.type)}${where}: ${error.message}`);
    if (error.details !== undefined && error.details !== null) this.value(indent + 2, 'details ', error.details);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
