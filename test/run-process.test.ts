/**
 * A running `revo run` reached from a second process: signals before and during a
 * `wait`, queries, payload checks, and Ctrl-C (once: cancel with compensations;
 * twice: stop at once, resumable).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVITIES, startRun, until, WORKFLOW, workspace } from './process-helpers.js';

const SAGA = `revo: 1
name: saga
steps:
  - id: book
    call: test.effect
    with: { step: book }
    compensate:
      - { id: unbook, call: test.effect, with: { step: unbook } }
  - { id: nap, sleep: 1h }
`;

const files = { 'crashy.yaml': WORKFLOW, 'saga.yaml': SAGA, 'effects.mjs': ACTIVITIES };

describe('a running revo run, from another process', () => {
  it('buffers a signal sent before the wait starts', async () => {
    const ws = workspace(files);
    const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes('start a'), 'the first activity');
    const sent = ws.revo(['signal', run.runId, 'go', '{"n": 1}']);
    expect(sent.status, sent.stderr).toBe(0);
    expect(await run.exited).toBe(0);
    expect(JSON.parse(run.stdout().slice(run.stdout().indexOf('\n')))).toEqual({ n: 1 });
  }, 20_000);

  it('delivers a signal sent during the wait, after refusing a bad payload; queries see the wait', async () => {
    const ws = workspace(files);
    const run = await startRun(ws, ['crashy.yaml', '--activities', 'effects.mjs', '--json']);
    await until(() => ws.effects().includes('done c'), 'the step before the wait');
    await until(() => {
      const query = ws.revo(['query', run.runId]);
      return query.status === 0 && (JSON.parse(query.stdout) as { currentSteps: string[] }).currentSteps.includes('gate');
    }, 'the run to wait for the signal');

    const bad = ws.revo(['signal', run.runId, 'go', '{"n": "seven"}']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/go.*n.*integer/s);
    const undeclared = ws.revo(['signal', run.runId, 'stop']);
    expect(undeclared.status).toBe(2);

    const good = ws.revo(['signal', run.runId, 'go', '{"n": 2}']);
    expect(good.status, good.stderr).toBe(0);
    expect(await run.exited).toBe(0);
    const record = JSON.parse(run.stdout()) as { output: unknown; signals: { name: string; payload: unknown }[] };
    expect(record.output).toEqual({ n: 2 });
    expect(record.signals).toEqual([expect.objectContaining({ name: 'go', payload: { n: 2 } })]);
  }, 20_000);

  it('cancels on Ctrl-C, running compensations first', async () => {
    const ws = workspace(files);
    const run = await startRun(ws, ['saga.yaml', '--activities', 'effects.mjs', '--json']);
    await until(() => ws.effects().includes('done book'), 'the booking');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(1);
    expect(ws.effects()).toEqual(['start book', 'done book', 'start unbook', 'done unbook']);
    const record = JSON.parse(run.stdout()) as { status: string; error: { type: string }; compensations: string[] };
    expect(record.status).toBe('cancelled');
    expect(record.error.type).toBe('Cancelled');
    expect(record.compensations).toEqual(['book']);
  }, 20_000);

  it('stops at once on a second Ctrl-C and leaves the run resumable', async () => {
    const ws = workspace({ ...files, 'slow-saga.yaml': SAGA.replace('{ step: unbook }', '{ step: unbook }\n        timeout: 10s').replace('name: saga', 'name: slow-saga') });
    const run = await startRun(ws, ['saga.yaml', '--activities', 'effects.mjs']);
    await until(() => ws.effects().includes('done book'), 'the booking');
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGINT');
    await until(() => ws.effects().includes('start unbook'), 'the compensation to start');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.stderr()).toContain(`revo resume ${run.runId}`);

    const runs = ws.revo(['runs', '--json']);
    expect(runs.stdout).toContain('interrupted');
    const resumed = ws.revo(['resume', run.runId, '--json']);
    expect(resumed.status).toBe(1);
    const record = JSON.parse(resumed.stdout) as { status: string; compensations: string[] };
    expect(record.status).toBe('cancelled');
    // The booking ran once; the compensation that was cut short ran again, to its end.
    expect(ws.effects().filter((l) => l === 'start book')).toHaveLength(1);
    expect(ws.effects().at(-1)).toBe('done unbook');
  }, 20_000);
});
