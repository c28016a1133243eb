/**
 * `--engine auto`: the run goes to Temporal when Temporal answers and a worker polls
 * the task queue; otherwise it runs on the local engine, and Revo checks again at step
 * boundaries (with backoff) whether Temporal is back. When it is, the run is handed
 * over (src/auto/handover.ts) and followed on Temporal in the same view.
 */
import type { Client } from '@temporalio/client';
import type { HistoryEvent } from '../../interpreter/history.js';
import { continueOnTemporal, forwardInbox, handOverProblem } from '../auto/handover.js';
import { TemporalProbe } from '../auto/probe.js';
import type { LocalRun } from '../local/engine.js';
import { RunStore } from '../local/store.js';
import { temporalSettings, type TemporalSettings } from '../temporal/connection.js';
import { originOf, type LocalPlan, type RunOnEngineOptions } from './run-on-engine.js';
import { startPlanOnTemporal } from './start-temporal.js';
import { terminalEngine, watchRun, type HandedOver } from './watch-run.js';

/** Events after which the run stands between two steps. */
const BOUNDARIES = new Set<HistoryEvent['type']>(['step.completed', 'step.failed', 'step.skipped']);

export async function runAuto(plan: LocalPlan, options: RunOnEngineOptions): Promise<number> {
  const say = (text: string) => options.quiet || process.stderr.write(`revo: ${text}\n`);
  const settings = temporalSettings(options);
  const probe = new TemporalProbe(settings);
  const first = await probe.check();
  const name = plan.bundle.definition.name;
  if ('client' in first) {
    const { watchTemporalRun } = await import('./watch-temporal-run.js');
    const { client, handle } = await startPlanOnTemporal(plan, options, first.client);
    say(`run ${handle.workflowId} started (${name}, Temporal engine at ${settings.address})`);
    return watchTemporalRun(client, handle, options);
  }

  const store = new RunStore();
  let root: LocalRun | undefined;
  let settle!: (to: HandedOver) => void;
  const handedOver = new Promise<HandedOver>((resolve) => (settle = resolve));
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  let busy = false;
  /** Checks when the backoff allows, and hands the run over when Temporal can take it. */
  const check = async (): Promise<void> => {
    if (stopped || busy || !root || !probe.due) return;
    busy = true;
    try {
      await checkAndHandOver(root);
    } finally {
      busy = false;
    }
  };
  const checkAndHandOver = async (run: LocalRun): Promise<void> => {
    const result = await probe.check();
    if ('problem' in result) return;
    const { client } = result;
    const problem = stopped ? undefined : handOverProblem(run, store);
    if (problem) say(`Temporal is back, but run ${run.runId} stays local: ${problem}`);
    else if (!stopped && (await run.handOver('temporal', `Temporal at ${settings.address} became reachable`))) {
      stopped = true;
      settle({ client, ...(await startHandedOver(client, settings, store, run.runId, say)) });
      return;
    }
    // Too large to move, or it ended or was asked to stop meanwhile: it finishes here.
    stopped = true;
    await client.connection.close().catch(() => {});
  };
  const checkSafely = () => void check().catch((error: Error) => say(`checking Temporal failed: ${error.message}`));
  // A run waiting on a long `sleep` or `wait` reaches no boundary: check on a timer too.
  const tick = () => {
    checkSafely();
    if (!stopped) timer = setTimeout(tick, 1_000).unref();
  };

  const { engine, view } = terminalEngine(plan.activities, options, (run, event) => {
    if (run === root && BOUNDARIES.has(event.type)) checkSafely();
    if (run === root && (event.type === 'run.completed' || event.type === 'run.failed' || event.type === 'run.cancelled')) stopped = true;
  });
  root = engine.start({ bundle: plan.bundle, input: plan.input }, { origin: originOf(plan), trigger: plan.by });
  say(`${first.problem}: run ${root.runId} started on the local engine (${name}); it moves to Temporal once Temporal can take it`);
  tick();
  try {
    return await watchRun(root, view, options, handedOver);
  } finally {
    stopped = true;
    clearTimeout(timer);
  }
}

/**
 * Starts the Temporal part of a run whose journal says it was handed over, trying
 * again (with backoff) if Temporal went away in between: the local part has stopped
 * for good, so the run must get there.
 */
export async function startHandedOver(client: Client, settings: TemporalSettings, store: RunStore, runId: string, say: (text: string) => void): Promise<Omit<HandedOver, 'client'>> {
  for (let delayMs = 1_000; ; delayMs = Math.min(delayMs * 2, 30_000)) {
    try {
      const continued = await continueOnTemporal(client, settings, store, runId);
      return { ...continued, stopForwarding: forwardInbox(store, runId, continued.handle, say) };
    } catch (error) {
      say(`run ${runId} was handed over, but starting it on Temporal failed (${(error as Error).message.split('\n')[0]}); trying again in ${delayMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
