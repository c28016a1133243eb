/**
 * Progress on a terminal: a tree of the run's steps redrawn in place (cursor up,
 * clear lines) every {@link REDRAW_MS} (the first frame too: whatever the command
 * writes right after starting the run comes before it), with a spinner on running steps.
 * Logs, signals and cancel requests are written above it and stay in the scrollback.
 * On close the frame is replaced by a final one listing every top-level step.
 */
import type { HistoryEvent } from '../../../interpreter/history.js';
import type { RunRecord } from '../../history/record.js';
import { oneLine, paint, seg, SPINNER, SYMBOL, type Segment } from './format.js';
import type { ProgressOptions, ProgressView } from './index.js';
import { buildTree, headerLine, selectLines, StepTree, type TreeLine, type TreeOptions } from './tree.js';

export const REDRAW_MS = 80;
const DEFAULT_COLUMNS = 80;
const DEFAULT_ROWS = 24;
const MAX_DATA = 200;

const ESC = '\x1b[';
const CLEAR_LINE = `${ESC}2K`;
const CLEAR_BELOW = `${ESC}J`;
const up = (n: number) => `\r${ESC}${n}A`;

export class LiveProgress implements ProgressView {
  private record: RunRecord | undefined;
  private readonly tree = new StepTree();
  private runId = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Lines of the frame now on screen, to move back over. */
  private onScreen = 0;
  private lastFrame = '';
  /** Lines to print above the frame at the next redraw. */
  private pending: string[] = [];
  private tick = 0;
  private closed = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly options: ProgressOptions,
  ) {}

  event(runId: string, event: HistoryEvent, record: RunRecord): void {
    if (this.closed) return;
    this.runId = runId;
    this.record = record;
    const line = this.aboveLine(event);
    if (line !== undefined) this.pending.push(line);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.draw(false), REDRAW_MS);
      this.timer.unref?.();
    }
  }

  note(text: string): void {
    if (this.closed) this.out.write(`${text}\n`);
    else this.pending.push(text);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    if (this.record || this.pending.length > 0) this.draw(true);
  }

  private draw(final: boolean): void {
    const width = Math.max(1, this.columns() - 1);
    const frame = this.record ? this.frame(this.record, final, width) : [];
    const text = frame.map((l) => `${CLEAR_LINE}${l}\n`).join('');
    if (!final && this.pending.length === 0 && text === this.lastFrame) return;
    let out = this.onScreen > 0 ? up(this.onScreen) : '';
    for (const line of this.pending) out += `${CLEAR_LINE}${line}\n`;
    out += `${text}${CLEAR_BELOW}`;
    this.pending = [];
    this.lastFrame = text;
    this.onScreen = final ? 0 : frame.length;
    this.out.write(out);
  }

  private frame(record: RunRecord, final: boolean, width: number): string[] {
    const options: TreeOptions = { now: this.now() };
    if (!final) options.spinner = SPINNER[this.tick++ % SPINNER.length]!;
    const paintLine = (segments: Segment[], depth = 0) => paint([seg('  '.repeat(depth)), ...segments], this.options.color, width);
    const header = paintLine(headerLine(record, this.runId, options));
    this.tree.sync(record);
    if (final) return [header, ...buildTree(this.tree, { ...options, topLevelOnly: true }).map((l) => paintLine(l.segments))];
    const budget = Math.max(1, this.rows() - 2) - 1;
    if (budget <= 0) return [header];
    const { lines, omitted } = selectLines(buildTree(this.tree, options), budget);
    const body = lines.map((l: TreeLine) => paintLine(l.segments, l.depth));
    if (omitted > 0) body.unshift(paintLine([seg(`${SYMBOL.more} ${omitted} more`, 'dim')]));
    return [header, ...body];
  }

  /** Lines that stay above the live frame. */
  private aboveLine(event: HistoryEvent): string | undefined {
    const color = this.options.color;
    switch (event.type) {
      case 'log': {
        const style = event.level === 'error' ? 'red' : event.level === 'warn' ? 'yellow' : 'dim';
        const data = event.data === undefined ? '' : ` ${clip(JSON.stringify(event.data) ?? '', MAX_DATA)}`;
        return paint([seg(`[${event.level}]`, style), seg(` ${event.key}:`, 'dim'), seg(` ${oneLine(event.message)}`), seg(data, 'dim')], color);
      }
      case 'signal.received':
        return paint([seg(SYMBOL.signal, 'cyan'), seg(` signal ${oneLine(event.name)} received`)], color);
      case 'signal.rejected':
        return paint([seg(SYMBOL.notice, 'yellow'), seg(` signal ${oneLine(event.name)} rejected: ${oneLine(event.reason)}`, 'yellow')], color);
      case 'cancel.requested':
        return paint([seg(SYMBOL.notice, 'yellow'), seg(` cancel requested: ${oneLine(event.reason)}`, 'yellow')], color);
      default:
        return undefined;
    }
  }

  /** The terminal's size now (it may have been resized), else the one given. */
  private columns(): number {
    return positive((this.out as Partial<NodeJS.WriteStream>).columns) ?? positive(this.options.columns) ?? DEFAULT_COLUMNS;
  }

  private rows(): number {
    return positive((this.out as Partial<NodeJS.WriteStream>).rows) ?? positive(this.options.rows) ?? DEFAULT_ROWS;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** A terminal without a known size reports 0. */
const positive = (n: number | undefined): number | undefined => (typeof n === 'number' && n > 0 ? n : undefined);

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}${SYMBOL.more}`;
}
