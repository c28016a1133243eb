/**
 * What both progress views share: durations, symbols, colours, display widths, and
 * reading the loop and compensation markers out of step keys.
 */
import type { Decision, ErrorInfo, StepKey } from '../../../interpreter/history.js';
import type { StepRecord } from '../../history/record.js';

// -- durations --------------------------------------------------------------

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const pad2 = (n: number) => String(n).padStart(2, '0');

/** A duration for people, two significant parts at most: `120ms`, `1.2s`, `3m05s`, `2h01m`, `3d04h`. */
export function formatElapsed(ms: number): string {
  const value = Number.isFinite(ms) ? Math.max(0, ms) : 0;
  if (value < SECOND) return `${Math.round(value)}ms`;
  const tenths = Math.round(value / 100);
  if (tenths < 600) return tenths % 10 === 0 ? `${tenths / 10}s` : `${(tenths / 10).toFixed(1)}s`;
  // 59.96s rounds to a minute, not to `0m59s`.
  const seconds = Math.max(60, Math.floor(value / SECOND));
  if (value < HOUR) return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  const minutes = Math.floor(value / MINUTE);
  if (value < DAY) return `${Math.floor(minutes / 60)}h${pad2(minutes % 60)}m`;
  const hours = Math.floor(value / HOUR);
  return `${Math.floor(hours / 24)}d${pad2(hours % 24)}h`;
}

/** Milliseconds between two ISO timestamps of a record, or undefined. */
export function between(start: string | undefined, end: string | number | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const from = Date.parse(start);
  const to = typeof end === 'number' ? end : Date.parse(end);
  return Number.isNaN(from) || Number.isNaN(to) ? undefined : to - from;
}

// -- symbols and colours ----------------------------------------------------

export const SYMBOL = {
  completed: '✓',
  failed: '✗',
  skipped: '-',
  retry: '↻',
  compensation: '↶',
  signal: '→',
  notice: '!',
  more: '…',
  unfinished: '○',
} as const;

/** Braille spinner frames: one cell wide everywhere. */
export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'magenta' | 'dim' | 'bold';
const SGR: Record<Style, [number, number]> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** A piece of a line, coloured as a whole. */
export interface Segment {
  text: string;
  style?: Style;
}

export const seg = (text: string, style?: Style): Segment => (style === undefined ? { text } : { text, style });

/** Fields of a line are separated by two spaces; empty ones are dropped. */
export function fields(...parts: (Segment | undefined | false)[]): Segment[] {
  const out: Segment[] = [];
  for (const part of parts) {
    if (!part || part.text === '') continue;
    if (out.length > 0) out.push({ text: '  ' });
    out.push(part);
  }
  return out;
}

/**
 * Joins segments into text, colouring them when `color` is set and cutting the
 * visible text to `width` cells (with `…`) when a width is given.
 */
export function paint(segments: readonly Segment[], color: boolean, width?: number): string {
  let out = '';
  let room = width ?? Infinity;
  const total = segments.reduce((n, s) => n + textWidth(s.text), 0);
  const cut = total > room;
  if (cut) room -= 1;
  for (const segment of segments) {
    if (room <= 0) break;
    let text = segment.text;
    const w = textWidth(text);
    if (w > room) text = sliceWidth(text, room);
    room -= textWidth(text);
    out += color && segment.style && text !== '' ? `\x1b[${SGR[segment.style][0]}m${text}\x1b[${SGR[segment.style][1]}m` : text;
  }
  return cut ? `${out}${SYMBOL.more}` : out;
}

/** Terminal cells a character takes: 2 for wide East Asian characters and emoji, 0 for combining marks. */
function charWidth(code: number): number {
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if ((code >= 0x300 && code <= 0x36f) || (code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0)!);
  return width;
}

function sliceWidth(text: string, cells: number): string {
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0)!);
    if (used + w > cells) break;
    out += ch;
    used += w;
  }
  return out;
}

/** Control characters (escape sequences from activity messages among them) would break the layout. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ⏎ ').replace(/[\x00-\x1f\x7f-\x9f]/g, ' ');
}

// -- what a step shows --------------------------------------------------------

export const LEAF_KINDS: ReadonlySet<string> = new Set(['call', 'wait', 'sleep', 'child', 'fail', 'return']);
export const LOOP_KINDS: ReadonlySet<string> = new Set(['while', 'foreach']);

export function errorText(error: ErrorInfo | undefined): string {
  if (!error) return 'failed';
  return oneLine(`${error.type}: ${error.message}`);
}

/** Same error as one already shown (it travels up through every enclosing step). */
export const errorSignature = (error: ErrorInfo): string => `${error.type}\u0000${error.message}`;

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** A decision in a few words: `4 iterations`, `12 items`, `2nd case`, `caught by 1st catch`. */
export function decisionText(decision: Decision | undefined): string {
  if (!decision) return '';
  if ('iterations' in decision) return plural(decision.iterations, 'iteration');
  if ('items' in decision) return plural(decision.items, 'item');
  if ('case' in decision) return decision.case === null ? 'no case' : decision.case === 'default' ? 'default' : `${ordinal(decision.case + 1)} case`;
  return decision.caught === null ? 'not caught' : `caught by ${ordinal(decision.caught + 1)} catch`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The attempt count worth showing: only when there were retries. */
export function attemptsText(step: StepRecord): string {
  if (step.status === 'running') {
    const failed = step.failedAttempts?.length ?? 0;
    return failed > 0 ? `attempt ${(step.attempts ?? failed) + 1}` : '';
  }
  return step.attempts !== undefined && step.attempts > 1 ? `${step.attempts} attempts` : '';
}

/** A step's duration: its recorded one, or the time it has been running. */
export function stepDuration(step: StepRecord, now: number): number | undefined {
  if (step.durationMs !== undefined) return step.durationMs;
  if (step.status === 'running') return between(step.startedAt, now);
  return between(step.startedAt, step.endedAt);
}

// -- keys -----------------------------------------------------------------------

/** The step runs as part of undoing a completed call (`charge~/refund`). */
export const inCompensation = (key: StepKey): boolean => key.includes('~/');

/** A key without the compensation it runs in: `charge~/refund` → `refund` (the header names `charge`). */
export function plainLabel(key: StepKey): string {
  const at = key.lastIndexOf('~/');
  return at < 0 ? key : key.slice(at + 2);
}

export interface LoopMark {
  /** Key of the loop step: `outer#2/inner`. */
  loop: StepKey;
  kind: 'while' | 'foreach';
  /** `while` iterations count from 1, `foreach` items from 0, as in the keys. */
  index: number;
  /** The marker as written in the key: `#4`, `[3]`. */
  mark: string;
}

/** The loop iterations a key runs in, outermost first. */
export function loopMarks(key: StepKey): LoopMark[] {
  const marks: LoopMark[] = [];
  for (const match of key.matchAll(/#(\d+)\/|\[(\d+)\]\//g)) {
    const isWhile = match[1] !== undefined;
    const index = Number(isWhile ? match[1] : match[2]);
    marks.push({ loop: key.slice(0, match.index), kind: isWhile ? 'while' : 'foreach', index, mark: isWhile ? `#${index}` : `[${index}]` });
  }
  return marks;
}
