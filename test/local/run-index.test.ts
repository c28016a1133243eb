/**
 * The index of local runs (src/local/run-index.ts, docs/running-locally.md#the-run-index):
 * the list reads it instead of the journals, reads a run again when its files change,
 * rebuilds it when it is missing, torn or of another format, asks the lock of a running
 * run every time, and answers every filter as the journals do.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineActivity, Revo, type RunFilter } from '../../src/index.js';
import { RunStore } from '../../src/local/store.js';
import { APPROVAL_WORKFLOW, ACTIVITIES, startRun, until, workspace } from '../process-helpers.js';

const ORDER = `revo: 1
name: index-order
input:
  type: object
  required: [order, amount]
  properties: { order: { type: string }, amount: { type: number }, note: { type: string } }
signals:
  approve: { schema: { type: object } }
steps:
  - { id: price, call: test.double, with: { var: input.amount }, result: doubled }
  - id: gate
    switch:
      - when: { "==": [{ var: input.amount }, 0] }
        steps: [ { id: ask, wait: { signal: approve, timeout: 1h } } ]
  - id: check
    switch:
      - when: { ">": [{ var: doubled }, 100] }
        steps: [ { id: refuse, fail: { type: TooExpensive, message: { cat: ["too expensive: ", { var: input.order }] } } } ]
output: { doubled: { var: doubled } }
`;

const REFUND = ORDER.replace('name: index-order', 'name: index-refund').replace('TooExpensive', 'RefundRefused');

const double = defineActivity({ name: 'test.double', input: { type: 'number' }, output: { type: 'number' }, run: async (n: number) => n * 2 });

let dir: string;
let home: string;
let revo: Revo;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const local = (filter: RunFilter = {}) => revo.listRuns({ engine: 'local', limit: 100, ...filter });
const indexPath = () => new RunStore(home).indexPath();
const ids = (rows: { runId: string }[]) => rows.map((r) => r.runId);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revo-index-'));
  home = join(dir, '.revo');
  revo = new Revo({ home, activities: [double] });
});
afterEach(async () => {
  await revo.close();
});

/** Runs that end on their own: amounts over 50 fail. */
async function someRuns(): Promise<string[]> {
  const made: string[] = [];
  const plan: [string, string, number, string?][] = [
    [ORDER, 'o-1001', 10],
    [ORDER, 'o-1002', 70],
    [REFUND, 'o-1003', 5, 'a note on the refund'],
    [REFUND, 'o-1004', 90],
    [ORDER, 'o-1005', 20, `${'x'.repeat(1_500)} needle-after-the-cut`],
  ];
  for (const [text, order, amount, note] of plan) {
    const run = await revo.start(file('flow.yaml', text), { input: { order, amount, ...(note !== undefined && { note }) } });
    await run.outcome();
    made.push(run.runId);
  }
  return made;
}

describe('the run index', () => {
  it('is written by the first list and read by the next: a row whose files did not change is not read again', async () => {
    const [first] = await someRuns();
    expect(existsSync(indexPath())).toBe(false);
    const listed = await local();
    expect(listed).toHaveLength(5);
    expect(existsSync(indexPath())).toBe(true);

    // Change the cached row without touching the run's files: the list shows the index's row.
    const index = JSON.parse(readFileSync(indexPath(), 'utf8')) as { runs: Record<string, { run: { workflow: string } }> };
    index.runs[first!]!.run.workflow = 'from-the-index';
    writeFileSync(indexPath(), JSON.stringify(index));
    expect((await local()).find((r) => r.runId === first)?.workflow).toBe('from-the-index');

    // Its journal changes (here only its time): the row is read again from the journal.
    const journal = new RunStore(home).journalPath(first!);
    const later = new Date(Date.now() + 5_000);
    utimesSync(journal, later, later);
    expect((await local()).find((r) => r.runId === first)?.workflow).toBe('index-order');
    expect(await local()).toEqual(listed.map((r) => expect.objectContaining({ ...r, durationMs: r.durationMs })));
  });

  it('is rebuilt, silently and the same, when it is deleted, torn, not JSON, of another format, or has a broken row', async () => {
    await someRuns();
    const fromJournals = [...(await local())];
    const damages: [string, string][] = [
      ['torn', readFileSync(indexPath(), 'utf8').slice(0, 200)],
      ['not JSON', 'garbage'],
      ['another format', JSON.stringify({ format: 999, runs: {} })],
      ['null', 'null'],
    ];
    for (const [, text] of damages) {
      writeFileSync(indexPath(), text);
      expect([...(await local())]).toEqual(fromJournals);
      expect(JSON.parse(readFileSync(indexPath(), 'utf8'))).toMatchObject({ format: 1 });
    }
    const index = JSON.parse(readFileSync(indexPath(), 'utf8')) as { runs: Record<string, unknown> };
    const broken = fromJournals[0]!.runId;
    index.runs[broken] = { key: (index.runs[broken] as { key: string }).key, run: { runId: broken } };
    writeFileSync(indexPath(), JSON.stringify(index));
    expect([...(await local())]).toEqual(fromJournals);
    // A run made without this Revo (the index does not have it) is listed too.
    const other = new Revo({ home, activities: [double] });
    try {
      const added = await other.start(file('flow.yaml', ORDER), { input: { order: 'o-2000', amount: 1 } });
      await added.outcome();
      expect(ids(await local())[0]).toBe(added.runId);
    } finally {
      await other.close();
    }
  });

  it('answers every filter as the journals do', async () => {
    const made = await someRuns();
    const filters: RunFilter[] = [
      {},
      { workflow: 'index-refund' },
      { status: 'failed' },
      { status: 'completed', workflow: 'index-order' },
      { errorType: 'TooExpensive' },
      { search: 'o-1003' },
      { search: 'A NOTE' },
      { search: 'too expensive: o-1002' },
      { search: 'needle-after-the-cut' },
      { search: 'index-refund' },
      { search: 'nowhere' },
      { since: new Date(Date.now() - 60_000) },
      { until: new Date(Date.now() - 60_000) },
      { limit: 2 },
      { limit: 1, status: 'failed' },
      { status: 'running' },
    ];
    const expected: Record<number, string[]> = {
      1: [made[3]!, made[2]!],
      2: [made[3]!, made[1]!],
      3: [made[4]!, made[0]!],
      4: [made[1]!],
      5: [made[2]!],
      6: [made[2]!],
      7: [made[1]!],
      8: [made[4]!],
      9: [made[3]!, made[2]!],
      10: [],
      12: [],
      13: [made[4]!, made[3]!],
      14: [made[3]!],
      15: [],
    };
    for (const [i, filter] of filters.entries()) {
      // Without the index: every journal read; then from the index just written.
      rmSync(indexPath(), { force: true });
      const cold = await local(filter);
      const warm = await local(filter);
      expect(ids(warm), JSON.stringify(filter)).toEqual(ids(cold));
      expect(warm.map((r) => r.status)).toEqual(cold.map((r) => r.status));
      expect(warm.more).toBe(cold.more);
      if (expected[i]) expect(ids(warm), JSON.stringify(filter)).toEqual(expected[i]);
    }
    // Without a filter the runs left out are counted (Temporal, not running here, adds none).
    expect((await revo.listRuns({ limit: 2 })).more).toBe(3);
    expect((await local({ limit: 1, status: 'failed' })).more).toBe(1);
    expect((await local({ limit: 2, status: 'failed' })).more).toBeUndefined();
    const failed = (await local({ status: 'failed' }))[0]!;
    expect(failed).toMatchObject({ workflow: 'index-refund', errorType: 'RefundRefused', engine: 'local', stepsDone: 2 });
  });

  it('a run that ends updates its row; one whose process is gone shows as interrupted', async () => {
    const run = await revo.start(file('flow.yaml', ORDER), { input: { order: 'o-3000', amount: 0 } });
    await until(() => existsSync(new RunStore(home).journalPath(run.runId)), 'the journal');
    await waitFor(async () => (await local())[0]?.stepsDone === 1);
    expect((await local())[0]).toMatchObject({ runId: run.runId, status: 'running', pid: process.pid });
    await run.signal('approve', {});
    await run.outcome();
    await waitFor(async () => (await local())[0]?.status === 'completed');
    expect((await local())[0]).toMatchObject({ runId: run.runId, status: 'completed', stepsDone: 4 });
    expect((await local())[0]!.pid).toBeUndefined();

    const waiting = await revo.start(file('flow.yaml', ORDER), { input: { order: 'o-3001', amount: 0 } });
    await waitFor(async () => (await local())[0]?.stepsDone === 1);
    await revo.close(); // lets the run go without ending it: its journal does not change
    revo = new Revo({ home, activities: [double] });
    expect((await local())[0]).toMatchObject({ runId: waiting.runId, status: 'interrupted' });
  });
});

describe('the run index with several processes', () => {
  it('a killed `revo run` shows as interrupted, and lists made at once by several processes agree', async () => {
    const ws = workspace({ 'approval.yaml': APPROVAL_WORKFLOW, 'effects.mjs': ACTIVITIES });
    const run = await startRun(ws, ['approval.yaml', '--activities', 'effects.mjs']);
    const listing = () => JSON.parse(ws.revo(['runs', '--json', '--engine', 'local']).stdout) as { runId: string; status: string; pid?: number }[];
    await until(() => listing()[0]?.status === 'running', 'the run to be listed as running');
    expect(listing()[0]).toMatchObject({ runId: run.runId, pid: run.child.pid });
    run.child.kill('SIGKILL');
    await run.exited;
    expect(listing()[0]).toMatchObject({ runId: run.runId, status: 'interrupted' });
    expect(listing()[0]!.pid).toBeUndefined();

    // Three more runs, then three lists at once from a torn index: each writes its own, all agree.
    const others = [await startRun(ws, ['approval.yaml', '--activities', 'effects.mjs']), await startRun(ws, ['approval.yaml', '--activities', 'effects.mjs']), await startRun(ws, ['approval.yaml', '--activities', 'effects.mjs'])];
    try {
      await until(() => listing().filter((r) => r.status === 'running').length === 3, 'three running runs');
    const store = new RunStore(ws.env.REVO_HOME);
    writeFileSync(store.indexPath(), 'torn');
    const { spawn } = await import('node:child_process');
    const outputs = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<string>((resolve) => {
            const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'revo.js'), 'runs', '--json', '--engine', 'local'], { cwd: ws.dir, env: ws.env });
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.on('exit', () => resolve(out));
          }),
      ),
    );
    const lists = outputs.map((out) => (JSON.parse(out) as { runId: string }[]).map((r) => r.runId));
    expect(lists[1]).toEqual(lists[0]);
    expect(lists[2]).toEqual(lists[0]);
    expect(lists[0]).toHaveLength(4);
    expect(JSON.parse(readFileSync(store.indexPath(), 'utf8'))).toMatchObject({ format: 1 });
    } finally {
      for (const other of others) other.child.kill('SIGKILL');
    }
  }, 60_000);
});

async function waitFor(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
