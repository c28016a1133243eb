/**
 * Progress as plain lines, for logs (CI, pipes): one line per thing worth reading,
 * written as it happens, never rewritten.
 *
 * Printed: leaf steps as they end (call, wait, sleep, child, fail, return), skipped
 * steps, retries, failures of any step, loop/switch/try decisions, signals,
 * compensations, activity logs and the run's end. Not printed: `set` steps that
 * succeed, and containers that succeed without a decision. Past the first
 * {@link DETAILED_ITERATIONS} iterations of a loop only failures, retries and
 * warnings are printed, so a long loop stays a few lines.
 */
import type { ErrorInfo, HistoryEvent, StepKey } from '../../../interpreter/history.js';
import type { RunRecord, StepRecord } from '../../history/record.js';
import {
  attemptsText,
  between,
  decisionText,
  errorSignature,
  errorText,
  fields,
  formatElapsed,
  inCompensation,
  LEAF_KINDS,
  loopMarks,
  oneLine,
  paint,
  plainLabel,
  seg,
  stepDuration,
  SYMBOL,
  type LoopMark,
  type Segment,
} from './format.js';
import type { ProgressOptions, ProgressView } from './index.js';

/** Iterations of each loop printed in full. */
export const DETAILED_ITERATIONS = 3;
const MAX_INDENT = 12;
const MAX_DATA = 200;

export class PlainProgress implements ProgressView {
  private record: RunRecord | undefined;
  private readonly byKey = new Map<StepKey, StepRecord>();
  private indexed = 0;
  private readonly depths = new Map<StepKey, number>();
  /** Errors already printed: the steps around a failing one fail with the same error. */
  private readonly shownErrors = new Set<string>();
  /** Loops (by step id) whose later iterations were announced as left out. */
  private readonly summarised = new Set<string>();
  private closed = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly options: ProgressOptions,
  ) {}

  note(text: string): void {
    this.out.write(`${text}\n`);
  }

  event(_runId: string, event: HistoryEvent, record: RunRecord): void {
    if (this.closed) return;
    this.sync(record);
    const lines = this.lines(event, record);
    if (lines.length > 0) this.out.write(lines.map((l) => `${l}\n`).join(''));
  }

  close(): void {
    this.closed = true;
  }

  private lines(event: HistoryEvent, record: RunRecord): string[] {
    switch (event.type) {
      case 'step.completed':
      case 'step.failed': {
        const step = this.byKey.get(event.key);
        return step ? this.ended(step) : [];
      }
      case 'step.skipped': {
        const step = this.byKey.get(event.key);
        if (!step || step.kind === 'set' || this.quiet(step.key)) return [];
        return [this.line(step.key, [seg(SYMBOL.skipped, 'dim'), seg(' '), ...fields(seg(this.label(step)), seg('skipped', 'dim'))])];
      }
      case 'attempt.failed': {
        const step = this.byKey.get(event.key);
        // The last attempt's failure is the step's: printed when the step fails.
        if (!step || event.retryInMs === undefined) return [];
        return [
          this.line(step.key, [
            seg(SYMBOL.retry, 'yellow'),
            seg(' '),
            ...fields(seg(this.label(step)), seg(`attempt ${event.attempt} failed: ${errorText(event.error)} — retrying in ${formatElapsed(event.retryInMs)}`, 'yellow')),
          ]),
        ];
      }
      case 'signal.received':
        return [this.line(undefined, [seg(SYMBOL.signal, 'cyan'), seg(` signal ${oneLine(event.name)} received`)])];
      case 'signal.rejected':
        return [this.line(undefined, [seg(SYMBOL.notice, 'yellow'), seg(` signal ${oneLine(event.name)} rejected: ${oneLine(event.reason)}`, 'yellow')])];
      case 'cancel.requested':
        return [this.line(undefined, [seg(SYMBOL.notice, 'yellow'), seg(` cancel requested: ${oneLine(event.reason)}`, 'yellow')])];
      case 'compensation.started':
        return [this.line(event.key, [seg(SYMBOL.compensation, 'magenta'), seg(` compensating ${plainLabel(event.key)}`, 'magenta')])];
      case 'compensation.failed':
        return [this.line(event.key, [seg(SYMBOL.failed, 'red'), seg(' '), ...fields(seg(`compensation of ${plainLabel(event.key)} failed`), this.newError(event.error))])];
      case 'log': {
        const quietLevel = event.level === 'debug' || event.level === 'info';
        if (quietLevel && this.quiet(event.key)) return [];
        const style = event.level === 'error' ? 'red' : event.level === 'warn' ? 'yellow' : 'dim';
        const data = event.data === undefined ? '' : ` ${truncate(JSON.stringify(event.data) ?? '', MAX_DATA)}`;
        const depth = (this.byKey.has(event.key) ? this.depth(event.key) : 0) + 1;
        return [`${indent(depth)}${paint([seg(`[${event.level}]`, style), seg(` ${oneLine(event.message)}`), seg(data, 'dim')], this.options.color)}`];
      }
      case 'run.completed':
      case 'run.failed':
      case 'run.cancelled': {
        const took = between(record.startedAt, record.endedAt ?? event.at);
        const ok = event.type === 'run.completed';
        const status = event.type.slice('run.'.length);
        return [
          this.line(undefined, [
            seg(ok ? SYMBOL.completed : SYMBOL.failed, ok ? 'green' : 'red'),
            seg(' '),
            ...fields(seg(`run ${status}`), took === undefined ? undefined : seg(formatElapsed(took), 'dim'), !ok && 'error' in event && this.newError(event.error)),
          ]),
        ];
      }
      default:
        return [];
    }
  }

  /** The line for a step that completed or failed, if it deserves one. */
  private ended(step: StepRecord): string[] {
    const took = stepDuration(step, this.now());
    const duration = took === undefined ? undefined : seg(formatElapsed(took), 'dim');
    if (step.status === 'failed') {
      const leaf = LEAF_KINDS.has(step.kind) || step.kind === 'set';
      const decision = decisionText(step.decision);
      const name = leaf ? seg(this.label(step)) : seg(`${step.kind} ${this.label(step)}${decision ? `: ${decision}` : ''}`);
      return [
        this.line(step.key, [
          seg(SYMBOL.failed, 'red'),
          seg(' '),
          ...fields(name, leaf ? seg(step.activity ?? step.kind, 'dim') : undefined, seg(attemptsText(step)), step.reused && seg('reused', 'dim'), duration, this.error(step.error, !leaf)),
        ]),
      ];
    }
    if (step.kind === 'set' || this.quiet(step.key)) return [];
    const symbol = inCompensation(step.key) ? seg(SYMBOL.compensation, 'magenta') : seg(SYMBOL.completed, 'green');
    if (LEAF_KINDS.has(step.kind)) {
      return [this.line(step.key, [symbol, seg(' '), ...fields(seg(this.label(step)), seg(step.activity ?? step.kind, 'dim'), seg(attemptsText(step)), step.reused && seg('reused', 'dim'), duration)])];
    }
    const decision = decisionText(step.decision);
    if (!decision) return [];
    return [this.line(step.key, [symbol, seg(' '), ...fields(seg(`${step.kind} ${this.label(step)}: ${decision}`), duration)])];
  }

  /** The error unless it was printed already. */
  private newError(error: ErrorInfo): Segment | undefined {
    return this.shownErrors.has(errorSignature(error)) ? undefined : this.error(error);
  }

  /** The error, or just `failed` when the same one was printed already (`dedupe`). */
  private error(error: ErrorInfo | undefined, dedupe = false): Segment {
    if (!error) return seg('failed', 'red');
    const signature = errorSignature(error);
    const seen = this.shownErrors.has(signature);
    this.shownErrors.add(signature);
    if (dedupe && seen) return seg('failed', 'red');
    return seg(errorText(error), 'red');
  }

  /**
   * Past the detailed iterations of a loop, successful steps are not printed; the
   * first time that happens for a loop step (in any iteration of the loops around it)
   * a line says so.
   */
  private quiet(key: StepKey): boolean {
    const mark = loopMarks(key).find(beyondDetail);
    if (!mark) return false;
    const loopId = mark.loop.slice(mark.loop.lastIndexOf('/') + 1);
    if (!this.summarised.has(loopId)) {
      this.summarised.add(loopId);
      const depth = this.byKey.has(mark.loop) ? this.depth(mark.loop) + 1 : 0;
      const noun = mark.kind === 'while' ? 'iterations' : 'items';
      this.out.write(`${indent(depth)}${paint([seg(`${SYMBOL.more} ${loopId}: after the first ${DETAILED_ITERATIONS} ${noun}, only failures, retries and warnings are shown`, 'dim')], this.options.color)}\n`);
    }
    return true;
  }

  private line(key: StepKey | undefined, segments: Segment[]): string {
    const depth = key !== undefined && this.byKey.has(key) ? this.depth(key) : 0;
    return `${indent(depth)}${paint(segments, this.options.color)}`;
  }

  private label(step: StepRecord): string {
    return plainLabel(step.key);
  }

  /** Nesting depth along the parent chain. */
  private depth(key: StepKey): number {
    const known = this.depths.get(key);
    if (known !== undefined) return known;
    let depth = 0;
    const seen = new Set<StepKey>([key]);
    for (let parent = this.byKey.get(key)?.parent; parent !== undefined && !seen.has(parent); parent = this.byKey.get(parent)?.parent) {
      seen.add(parent);
      const cached = this.depths.get(parent);
      if (cached !== undefined) {
        depth += cached + 1;
        break;
      }
      depth++;
    }
    this.depths.set(key, depth);
    return depth;
  }

  /** Indexes the steps the record gained since the last event. */
  private sync(record: RunRecord): void {
    if (record !== this.record) {
      this.record = record;
      this.byKey.clear();
      this.depths.clear();
      this.indexed = 0;
    }
    for (; this.indexed < record.steps.length; this.indexed++) {
      const step = record.steps[this.indexed]!;
      this.byKey.set(step.key, step);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

const beyondDetail = (mark: LoopMark): boolean => (mark.kind === 'while' ? mark.index > DETAILED_ITERATIONS : mark.index >= DETAILED_ITERATIONS);

const indent = (depth: number): string => '  '.repeat(Math.min(depth, MAX_INDENT));

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}${SYMBOL.more}`;
}
