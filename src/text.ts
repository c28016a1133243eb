/** Small text helpers shared by everything that prints (the CLI, diff and graph renderers): colours, durations, one-line JSON. */
import type { RunStatus } from '../interpreter/run.js';

export type Paint = (text: string) => string;

export interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  magenta: Paint;
}

const ansi =
  (open: number, close: number): Paint =>
  (text) =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const plain: Paint = (text) => text;

/** ANSI colours when `color` is true, else every paint returns its text unchanged. */
export function palette(color: boolean): Palette {
  if (!color) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain, magenta: plain };
  return { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), cyan: ansi(36, 39), magenta: ansi(35, 39) };
}

/**
 * A run's status as a user should read it: a local run whose journal says `running`
 * while no process holds it is `interrupted` (killed, or stopped with a second Ctrl-C);
 * one handed over to Temporal while Temporal cannot be asked about it is `handed over`.
 */
export type DisplayStatus = RunStatus | 'interrupted' | 'handed over';

export function displayStatus(status: RunStatus, held: boolean): DisplayStatus {
  return status === 'running' && !held ? 'interrupted' : status;
}

export function paintStatus(status: DisplayStatus, p: Palette): string {
  switch (status) {
    case 'completed':
      return p.green(status);
    case 'failed':
      return p.red(status);
    case 'cancelled':
    case 'interrupted':
    case 'handed over':
      return p.yellow(status);
    case 'running':
      return p.cyan(status);
  }
}

/** `850ms`, `1s`, `1.2s`, `12s`, `3m 05s`, `2h 03m`, `3d 04h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 10) return `${Math.floor(seconds * 10) / 10}s`;
  if (seconds < 60) return `${Math.floor(seconds)}s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${pad(Math.floor(seconds % 60))}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${pad(minutes % 60)}m`;
  return `${Math.floor(hours / 24)}d ${pad(hours % 24)}h`;
}

/** Milliseconds between two ISO times, or undefined when either is missing. */
export function between(start: string | undefined, end: string | undefined): number | undefined {
  if (start === undefined || end === undefined) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) ? ms : undefined;
}

/** `2026-01-01 12:34:56Z`: an ISO time without the `T` and the milliseconds, for tables. */
export function shortTime(isoTime: string | undefined): string {
  if (isoTime === undefined) return '-';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(isoTime);
  return match ? `${match[1]} ${match[2]}Z` : isoTime;
}

/** Compact JSON on one line, cut to `max` characters with `…` (never mid-character). */
export function oneLine(value: unknown, max: number): string {
  const text = JSON.stringify(value === undefined ? null : value) ?? 'null';
  return truncate(text, max);
}

export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
