/**
 * The fault-injection suite's shared frame (docs/reliability.md#the-fault-suite): how many
 * trials to run, a seeded random source so a failing trial can be replayed, and the
 * figures each trial kind prints — runs, lost, repeated, wrong, crashes, hangs.
 *
 * In `npm test` every kind runs a few quick trials; `npm run test:faults` sets
 * REVO_FAULTS=long for the long trials and REVO_FAULTS_REPORT to collect the figures.
 */
import { appendFileSync } from 'node:fs';

/** The figures of one kind of trial; the suite's goal is 0 for all but `runs`. */
export interface Figures {
  runs: number;
  /** Runs that never completed (or never reached the end they should have). */
  lost: number;
  /** Steps whose completion was recorded before a fault and whose side effect ran again after it. */
  repeated: number;
  /** Runs that ended with an output or record other than the one a fault-free run gives. */
  wrong: number;
  /** Processes that printed a stack trace, or ended with an exit code other than 0, 1 or 2. */
  crashes: number;
  /** Processes that did not end within their time. */
  hangs: number;
}

export const LONG = process.env.REVO_FAULTS === 'long';

/** `quick` trials in `npm test`, `long` ones under `npm run test:faults` (or REVO_FAULTS_TRIALS=N). */
export function trialCount(quick: number, long: number): number {
  const asked = Number(process.env.REVO_FAULTS_TRIALS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return LONG ? long : quick;
}

/** The seed of this suite's random choices: REVO_FAULTS_SEED to replay one, else fresh (and printed). */
export const SEED = Number(process.env.REVO_FAULTS_SEED) || Math.floor(Math.random() * 2 ** 31);

/** A small seeded generator (mulberry32): the same seed gives the same trials. */
export function random(seed: number = SEED): { next: () => number; int: (below: number) => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

export function noFigures(): Figures {
  return { runs: 0, lost: 0, repeated: 0, wrong: 0, crashes: 0, hangs: 0 };
}

/** What a `revo` process left behind that counts as a crash: a stack trace, or an exit code outside {0, 1, 2}. */
export function crashed(result: { status: number | null; stderr: string; signal?: NodeJS.Signals | null }): boolean {
  if (result.signal) return result.signal !== 'SIGKILL';
  return result.status === null || ![0, 1, 2].includes(result.status) || /\n\s+at .+:\d+:\d+\)?\n/.test(result.stderr) || /internal error/i.test(result.stderr);
}

/** Prints one kind's figures (and appends them to $REVO_FAULTS_REPORT for `npm run test:faults`). */
export function report(kind: string, figures: Figures): void {
  const line = `fault trial ${kind}: runs ${figures.runs}, lost ${figures.lost}, repeated ${figures.repeated}, wrong ${figures.wrong}, crashes ${figures.crashes}, hangs ${figures.hangs} (seed ${SEED})`;
  console.log(line);
  if (process.env.REVO_FAULTS_REPORT) appendFileSync(process.env.REVO_FAULTS_REPORT, `${JSON.stringify({ kind, seed: SEED, ...figures })}\n`);
}
