/**
 * `npm run bench:temporal`: what does interpreting YAML cost on Temporal, next to the
 * same workflow written by hand in TypeScript?
 *
 * One dev server, one worker, one task queue, one activity (`bench.step`, returning its
 * input, through Revo's typed-activity wrapper in both cases), and two forms of each
 * workflow:
 *   Revo:        the `revo` workflow interpreting a YAML bundle built here in code;
 *   hand-written: bench/temporal-handwritten-workflow.ts, the same calls with the same
 *                options (Revo's engine defaults), input and output.
 * Measured:
 *   - wall time of a 20-step run, from start to result on the client (median of --runs
 *     runs per form, alternating which form goes first in each round, after a warm-up);
 *   - history events of that run (Temporal's own count);
 *   - replay time of a 1,000-step history (Worker.runReplayHistories; both forms'
 *     histories interleaved in one replay worker, median of --replays each).
 * Goals: time ≤ 1.02×, events 1.00×, replay ≤ 1.15× the hand-written.
 * A report: exits 0 when a goal is missed. Not part of `npm test`.
 *
 * Options: --runs N (50), --warmup N (5), --steps N (1000, the replayed history),
 * --replays N (7), --histories <dir> (write the long histories there as JSON, to profile their
 * replay with `node --cpu-prof`). The same as env variables: BENCH_RUNS, BENCH_WARMUP, BENCH_STEPS, BENCH_REPLAYS.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, Worker, type WorkerOptions } from '@temporalio/worker';
import type { WorkflowBundle } from '../interpreter/bundle.js';
import type { Json } from '../interpreter/model.js';
import { temporalActivities } from '../src/temporal/activities.js';
import { HISTORY_SINK, METRICS_SINK } from '../src/sandboxed/workflow/contract.js';
import type { MetricFact } from '../src/sandboxed/telemetry.js';
import { revoMetrics } from '../src/telemetry/metrics.js';
import { startRun } from '../src/temporal/client.js';
import { connectWorker, temporalSettings, type TemporalSettings } from '../src/temporal/connection.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { preloadableModules } from '../src/temporal/workflow-code.js';
import { benchStep } from './bench-activities.js';
import { median, positive, table } from './report.js';
import { interleaved, loadLine, percentile, ratio, replayTimes, stepsBundle, verdict, type History } from './temporal-common.js';

const GOALS = { time: 1.02, events: 1.0, replay: 1.15 };
const TASK_QUEUE = 'revo-bench';

// ---------------------------------------------------------------------------
// Options.

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    warmup: { type: 'string' },
    steps: { type: 'string' },
    replays: { type: 'string' },
    histories: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log('usage: node dist/bench/temporal.js [--runs N] [--warmup N] [--steps N] [--replays N] [--histories <dir>]');
  process.exit(0);
}
const RUNS = positive(args.runs, 'BENCH_RUNS', 50);
const WARMUP = positive(args.warmup, 'BENCH_WARMUP', 5);
const REPLAY_STEPS = positive(args.steps, 'BENCH_STEPS', 1000);
const REPLAYS = positive(args.replays, 'BENCH_REPLAYS', 7);

// ---------------------------------------------------------------------------
// Running and measuring.

interface Form {
  label: string;
  /** Starts a run of `steps` calls. */
  start(steps: number): Promise<WorkflowHandle>;
}

let runNumber = 0;
const workflowId = (form: string): string => `bench-${form}-${process.pid}-${++runNumber}`;

function forms(client: Client, settings: TemporalSettings, bundles: Map<number, WorkflowBundle>): Form[] {
  return [
    {
      label: 'hand-written',
      start: (steps) =>
        steps === 20
          ? client.workflow.start('handwritten20', { taskQueue: TASK_QUEUE, workflowId: workflowId('hand') })
          : client.workflow.start('handwrittenSteps', { taskQueue: TASK_QUEUE, workflowId: workflowId('hand'), args: [steps] }),
    },
    {
      label: 'Revo',
      // The real client path of `revo start`: argument and memo built by startRun.
      start: (steps) => startRun(client, settings, { bundle: bundles.get(steps)!, input: {}, trigger: { by: 'bench', input: {} }, workflowId: workflowId('revo') }),
    },
  ];
}

/** Wall time of one run from start to result, in ms; checks the output. */
async function timedRun(form: Form, steps: number): Promise<{ ms: number; handle: WorkflowHandle }> {
  const start = performance.now();
  const handle = await form.start(steps);
  const output = (await handle.result()) as Json;
  const ms = performance.now() - start;
  if (JSON.stringify(output) !== JSON.stringify({ i: steps })) throw new Error(`${form.label} returned ${JSON.stringify(output)}, not {"i":${steps}}`);
  return { ms, handle };
}

/** The scheduling options of the first activity: both forms must ask Temporal for the same. */
function firstActivityOptions(history: History): string {
  const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
  if (!scheduled) return 'none';
  const { startToCloseTimeout, scheduleToCloseTimeout, heartbeatTimeout, retryPolicy, activityType } = scheduled;
  return JSON.stringify({ activityType, startToCloseTimeout, scheduleToCloseTimeout, heartbeatTimeout, retryPolicy });
}

async function main(): Promise<void> {
  console.log(
    `Revo on Temporal vs a hand-written TypeScript workflow: ${RUNS} runs of 20 steps per form (after ${WARMUP} warm-up runs each), ` +
      `replay of a ${REPLAY_STEPS}-step history (median of ${REPLAYS}).\n` +
      `Node ${process.version}, ${platform()} ${release()}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown model'}).`,
  );
  console.log(loadLine('before'));
  const server = await startDevServer({ log: (line) => console.error(`[temporal] ${line}`) });
  const connection = await connectWorker(temporalSettings({ address: server.address }, {}));
  const clientConnection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection: clientConnection });
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./temporal-workflows.js', import.meta.url)),
      // As the workers' bundle (scripts/bundle-workflow.js): the interpreter evaluated once, not per run.
      preloadModules: preloadableModules(),
      logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
    });
    // As createWorker (src/temporal/worker.ts) sets a Revo worker up, with this bundle.
    const workerOptions = {
      workflowBundle: { code },
      sinks: { [HISTORY_SINK]: { event: { fn: () => {} } }, [METRICS_SINK]: { fact: { fn: (_info, fact: MetricFact) => revoMetrics.record(fact) } } },
    } satisfies Partial<WorkerOptions>;
    const worker = await Worker.create({ ...workerOptions, connection, namespace: 'default', taskQueue: TASK_QUEUE, activities: temporalActivities([benchStep]) });
    const bundles = new Map([20, REPLAY_STEPS].map((n) => [n, stepsBundle(n)]));
    const [hand, revo] = forms(client, { address: server.address, namespace: 'default', taskQueue: TASK_QUEUE }, bundles);

    // Progress on stderr: the whole benchmark takes several minutes.
    const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);
    const results = await worker.runUntil(async () => {
      progress(`warm-up: ${WARMUP} runs of each form`);
      for (let i = 0; i < WARMUP; i++) for (const form of [hand!, revo!]) await timedRun(form, 20);
      const times = new Map<Form, number[]>([[hand!, []], [revo!, []]]);
      const handles = new Map<Form, WorkflowHandle[]>([[hand!, []], [revo!, []]]);
      for (let round = 0; round < RUNS; round++) {
        if (round % 10 === 0) progress(`20-step runs: round ${round + 1} of ${RUNS}`);
        for (const form of round % 2 === 0 ? [hand!, revo!] : [revo!, hand!]) {
          const { ms, handle } = await timedRun(form, 20);
          times.get(form)!.push(ms);
          handles.get(form)!.push(handle);
        }
      }
      const events = new Map<Form, number[]>();
      const options = new Map<Form, string>();
      for (const form of [hand!, revo!]) {
        const histories = await Promise.all(handles.get(form)!.slice(-5).map((h) => h.fetchHistory()));
        events.set(form, histories.map((h) => h.events?.length ?? 0));
        options.set(form, firstActivityOptions(histories[0]!));
      }
      const long = new Map<Form, History>();
      progress(`one ${REPLAY_STEPS}-step run of each form, for the replay`);
      for (const form of [hand!, revo!]) long.set(form, await (await timedRun(form, REPLAY_STEPS)).handle.fetchHistory());
      return { times, events, options, long };
    });
    if (args.histories) {
      mkdirSync(args.histories, { recursive: true });
      for (const form of [hand!, revo!]) writeFileSync(join(args.histories, `${form.label}-${REPLAY_STEPS}.json`), historyToJSON(results.long.get(form)!));
    }
    if (results.options.get(hand!) !== results.options.get(revo!)) {
      console.warn(`WARNING: the forms schedule their activity differently:\n  hand-written ${results.options.get(hand!)}\n  Revo         ${results.options.get(revo!)}`);
    }

    const replayOrder = interleaved([hand!, revo!].map((form) => ({ form: form.label, history: results.long.get(form)! })), REPLAYS);
    progress(`replaying the ${REPLAY_STEPS}-step histories ${REPLAYS} times each`);
    const replays = await replayTimes(workerOptions, replayOrder);

    const handTime = median(results.times.get(hand!)!);
    const revoTime = median(results.times.get(revo!)!);
    const handEvents = median(results.events.get(hand!)!);
    const revoEvents = median(results.events.get(revo!)!);
    const handReplay = median(replays.get(hand!.label)!);
    const revoReplay = median(replays.get(revo!.label)!);
    const longEvents = (form: Form): number => results.long.get(form)!.events?.length ?? 0;
    console.log(
      `\n${table([
        ['measurement', 'hand-written', 'Revo', 'Revo / hand-written', 'goal'],
        ['20-step run, wall time (median)', `${handTime.toFixed(1)} ms`, `${revoTime.toFixed(1)} ms`, ratio(revoTime, handTime), verdict(revoTime / handTime, GOALS.time)],
        ['20-step run, history events', String(handEvents), String(revoEvents), ratio(revoEvents, handEvents), revoEvents === handEvents ? '1.00× ✓' : '1.00× ✗'],
        [`${REPLAY_STEPS}-step history, replay (median)`, `${handReplay.toFixed(0)} ms`, `${revoReplay.toFixed(0)} ms`, ratio(revoReplay, handReplay), verdict(revoReplay / handReplay, GOALS.replay)],
        [`${REPLAY_STEPS}-step history, events`, String(longEvents(hand!)), String(longEvents(revo!)), ratio(longEvents(revo!), longEvents(hand!)), ''],
      ])}`,
    );
    const spread = (values: number[]): string => `p10 ${percentile(values, 0.1).toFixed(1)} / p90 ${percentile(values, 0.9).toFixed(1)} ms`;
    console.log(`\nwall time spread: hand-written ${spread(results.times.get(hand!)!)}; Revo ${spread(results.times.get(revo!)!)}`);
    console.log(loadLine('after'));
  } finally {
    await clientConnection.close();
    await connection.close();
    await server.stop();
  }
}

await main();
