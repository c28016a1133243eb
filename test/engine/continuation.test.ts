/**
 * Continue-as-new at the interpreter level: a run that hands over between loop
 * iterations (its continuation through JSON, as a workflow argument travels) ends
 * exactly as one uninterrupted run does.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { HistoryEvent } from '../../interpreter/history.js';
import type { Json } from '../../interpreter/model.js';
import { Interpreter, type ContinuedOutcome, type RunOutcome } from '../../interpreter/run.js';
import type { Runtime } from '../../interpreter/runtime.js';
import { BUILTIN_ACTIVITIES } from '../../src/activities/builtins/index.js';
import { specOf } from '../../src/activities/catalog.js';
import { buildBundle } from '../../src/load/bundle.js';
import { loadText } from '../../src/load/load.js';
import { WorkflowSet } from '../../src/load/workflow-set.js';
import { workflow } from './harness.js';

/** Echo activities, no timers; suggests continuing every `every` loop iterations (0: never). */
function echoRuntime(every: number, calls: Json[], events: HistoryEvent[]): Runtime {
  let asked = 0;
  // Completion order across runs, as an engine keeps it: compensations unwind by it.
  let sequence = calls.length;
  return {
    info: { workflowId: 'wf', runId: 'run', engine: 'test' },
    activity: async (request) => {
      calls.push(request.input);
      return { output: request.input, attempts: 1, sequence: ++sequence };
    },
    sleep: async () => {},
    receiveSignal: async () => undefined,
    child: async () => ({ workflowId: 'c', runId: 'c' }),
    record: (event) => events.push(event),
    continueAsNewSuggested: () => every > 0 && ++asked % every === 0,
  };
}

function bundleOf(yaml: string): WorkflowBundle {
  const file = loadText('/continuation/main.yaml', yaml);
  const catalog = new Map(BUILTIN_ACTIVITIES.map((d) => [d.name, specOf(d)]));
  return buildBundle(file, new WorkflowSet([file]), catalog);
}

/** Runs to the end, starting a new Interpreter from each continuation; returns the runs it took. */
async function runToEnd(bundle: WorkflowBundle, input: Json, every: number) {
  const calls: Json[] = [];
  const events: HistoryEvent[] = [];
  let continuation: ContinuedOutcome['continuation'] | undefined;
  let runs = 0;
  for (;;) {
    runs++;
    const outcome: RunOutcome | ContinuedOutcome = await new Interpreter({ bundle, input }, echoRuntime(every, calls, events), continuation).run();
    if (outcome.status !== 'continued') return { outcome, runs, calls, events };
    continuation = JSON.parse(JSON.stringify(outcome.continuation));
  }
}

describe('continue-as-new', () => {
  it('a top-level while goes on in new runs with its variables, and ends as one run would', async () => {
    const bundle = bundleOf(
      workflow(`
        - { id: init, set: { n: 0, total: 0 } }
        - id: loop
          while: { "<": [{ var: n }, 50] }
          maxIterations: 60
          steps:
            - { id: add, call: core.echo, with: { n: { var: n } }, result: echoed }
            - { id: bump, set: { n: { "+": [{ var: n }, 1] }, total: { "+": [{ var: total }, { var: echoed.n }] } } }
        - { id: after, set: { done: true } }
      `),
    );
    const once = await runToEnd(bundle, {}, 0);
    const continued = await runToEnd(bundle, {}, 7);
    expect(once.runs).toBe(1);
    expect(continued.runs).toBe(8);
    expect(continued.outcome).toEqual(once.outcome);
    expect(continued.outcome.output).toMatchObject({ n: 50, total: 1225, done: true });
    expect(continued.calls).toEqual(once.calls);
    // The loop starts once and decides once, however many runs it took.
    const loopEvents = (e: HistoryEvent[]) => e.filter((x) => 'key' in x && x.key === 'loop').map((x) => x.type);
    expect(loopEvents(continued.events)).toEqual(['step.started', 'step.decision', 'step.completed']);
    expect(continued.events.filter((e) => e.type === 'step.started').length).toBe(once.events.filter((e) => e.type === 'step.started').length);
  });

  it('the iteration bound counts across runs', async () => {
    const bundle = bundleOf(workflow(`
      - id: forever
        while: true
        maxIterations: 20
        steps: [ { id: tick, call: core.echo, with: 1 } ]
    `));
    const { outcome, runs } = await runToEnd(bundle, {}, 3);
    expect(runs).toBeGreaterThan(5);
    expect(outcome.status).toBe('failed');
    expect((outcome as RunOutcome).error?.type).toBe('LoopLimitExceeded');
  });

  it('a top-level foreach keeps its collected values and compensations across runs', async () => {
    const bundle = bundleOf(
      workflow(`
        - id: each
          foreach: { var: input.items }
          collect: { "*": [{ var: item }, 2] }
          result: doubled
          steps:
            - id: book
              call: core.echo
              with: { item: { var: item } }
              compensate: [ { id: undo, call: core.echo, with: { undo: { var: item } } } ]
        - { id: boom, fail: { type: Broken, message: after the loop } }
      `),
    );
    const items = Array.from({ length: 12 }, (_, i) => i + 1);
    const once = await runToEnd(bundle, { items }, 0);
    const continued = await runToEnd(bundle, { items }, 5);
    expect(continued.runs).toBe(3);
    expect(continued.outcome).toEqual(once.outcome);
    expect((continued.outcome as RunOutcome).error?.type).toBe('Broken');
    // Every booking is undone, most recent first, the ones from earlier runs included.
    expect(continued.calls.slice(items.length)).toEqual([...items].reverse().map((item) => ({ undo: item })));
    expect(continued.calls).toEqual(once.calls);
  });

  it('a loop inside another step never continues (its position would be more than one index)', async () => {
    const bundle = bundleOf(workflow(`
      - { id: init, set: { n: 0 } }
      - id: guard
        try:
          - id: inner
            while: { "<": [{ var: n }, 10] }
            steps: [ { id: bump, set: { n: { "+": [{ var: n }, 1] } } } ]
    `, 'output: { var: n }\n'));
    const { runs, outcome } = await runToEnd(bundle, {}, 1);
    expect(runs).toBe(1);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'completed', output: 10 });
  });
});
