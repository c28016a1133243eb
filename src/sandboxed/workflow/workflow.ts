/**
 * The one Temporal workflow: it interprets whatever definition it is given, with the
 * Temporal Runtime. Its type is `revo`; the definition, its children and the input
 * travel by value in the argument, so a run never depends on files.
 *
 * This module is bundled into Temporal's workflow sandbox (see worker.ts): it must
 * stay deterministic, which the interpreter is by construction.
 */
import './stack-traces.js';
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  proxySinks,
  setDefaultSignalHandler,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type Sinks,
} from '@temporalio/workflow';
import type { HistoryEvent } from '../../../interpreter/history.js';
import type { Json } from '../../../interpreter/model.js';
import { Interpreter } from '../../../interpreter/run.js';
import { journalEvents } from '../facts.js';
import { runFailure } from '../failures.js';
import { runStartedEvent } from '../run-start.js';
import { signalProblem } from '../signals.js';
import { REVO_ERROR_TYPE, REVO_WORKFLOW } from '../visibility.js';
import { ReplayLog } from '../replay-log.js';
import { withReuse } from '../reuse.js';
import { RunTelemetry } from '../telemetry.js';
import { EVENTS_QUERY, HISTORY_SINK, METRICS_SINK, SIGNAL_REJECTED, type EventsPage, type HistorySink, type MetricsSink, type RevoWorkflowInput } from './contract.js';
import { TemporalRuntime } from './runtime.js';

interface RevoSinks extends Sinks {
  [HISTORY_SINK]: HistorySink;
  [METRICS_SINK]: MetricsSink;
}

const sinks = proxySinks<RevoSinks>();
const history = sinks[HISTORY_SINK];

export async function revo(start: RevoWorkflowInput): Promise<Json> {
  const { bundle, input, continued } = start;
  const { definition } = bundle;
  const events: HistoryEvent[] = [];
  const report = (event: HistoryEvent) => {
    events.push(event);
    history.event(event);
  };
  // A run handed over by the local engine: its journal answers for what is done, and its history comes first.
  const handedOver = continued ? undefined : start.handedOver?.journal;
  const recorded = handedOver && new ReplayLog(handedOver);
  const localEvents = handedOver ? journalEvents(handedOver) : [];
  const startedAt = continued?.startedAt ?? localEvents[0]?.at ?? Date.now();
  // Metrics and spans of what this worker runs (the local part of a handed-over run is not counted again).
  const telemetry = new RunTelemetry({ workflow: definition.name, runId: workflowInfo().workflowId, engine: 'temporal', onMetric: (fact) => sinks[METRICS_SINK].fact(fact) });
  for (const event of localEvents) telemetry.observe(event, false);
  // The interpreter decides what a cancellation stops: it runs shielded (see below).
  const shield = new CancellationScope({ cancellable: false });
  const runtime = new TemporalRuntime({
    shield,
    startedAt,
    sequence: continued?.sequence ?? recorded?.length ?? 0,
    ...(recorded && { recorded }),
    ...(start.continueAfterEvents !== undefined && { continueAfterEvents: start.continueAfterEvents }),
    ...(start.revision !== undefined && { revision: start.revision }),
    // Re-walking the steps done locally emits their events again: the journal has them already.
    record: (event) => {
      if (recorded?.wasWritten(event)) return;
      report(event);
      telemetry.observe(event);
    },
    telemetry,
  });
  localEvents.forEach(report);
  for (const signal of continued?.signals ?? recorded?.signals ?? []) runtime.inbox.deliver(signal.name, signal.payload, signal.seq);
  // A re-run from a step answers the steps before it from the recorded run (docs/replay.md#re-run-from-a-step).
  const interpreter = new Interpreter({ bundle, input }, withReuse(runtime, start.reuse), continued?.continuation);

  // Every signal goes through one handler, so an undeclared one is refused the same way as a bad payload.
  // A refused signal is recorded and the run goes on (docs/dsl.md#signals-and-queries); `revo signal` checks before sending.
  const take = (name: string, payload: Json) => {
    const problem = signalProblem(definition, name, payload);
    if (problem) runtime.record({ type: 'signal.rejected', name, reason: problem });
    else runtime.deliverSignal(name, payload);
  };
  for (const name of Object.keys(definition.signals ?? {})) {
    setHandler(defineSignal<[Json?]>(name), (payload = null) => take(name, payload));
    // The same signal as an Update: its validator refuses a bad payload to the sender itself
    // (nothing is recorded), and it returns once the payload is in the run's inbox.
    setHandler(defineUpdate<{ seq: number }, [Json?]>(name), (payload = null) => ({ seq: runtime.deliverSignal(name, payload) }), {
      validator: (payload = null) => {
        const problem = signalProblem(definition, name, payload);
        if (problem) throw ApplicationFailure.create({ type: SIGNAL_REJECTED, message: problem, nonRetryable: true });
      },
    });
  }
  setDefaultSignalHandler((name, ...args: unknown[]) => take(name, (args[0] ?? null) as Json));
  setHandler(defineQuery<Json>('state'), () => interpreter.stateView() as unknown as Json);
  for (const name of Object.keys(definition.queries ?? {})) {
    setHandler(defineQuery<Json>(name), () => interpreter.query(name));
  }
  setHandler(defineQuery<EventsPage, [number]>(EVENTS_QUERY), (from = 0) => ({ runId: workflowInfo().runId, events: events.slice(from), next: events.length }));

  if (!continued && !handedOver) {
    const { workflowId } = workflowInfo();
    runtime.record(
      runStartedEvent(bundle, {
        runId: runtime.info.runId, workflowId, engine: 'temporal', trigger: start.trigger,
        ...(start.parent !== undefined && { parent: start.parent }),
        ...(start.reuse && { rerun: start.reuse }),
      }),
    );
  }

  // The interpreter decides what a cancellation stops: it runs shielded, and a
  // cancellation request reaches it as its own cancel (compensations then run normally).
  CancellationScope.current().cancelRequested.catch(() => {
    const reason = 'the run was cancelled (Temporal cancellation request)';
    runtime.record({ type: 'cancel.requested', reason });
    interpreter.cancel(reason);
  });
  const outcome = await shield.run(() => runtime.within(interpreter.cancellation, () => interpreter.run()));
  telemetry.end();

  switch (outcome.status) {
    case 'completed':
      return outcome.output ?? null;
    case 'continued':
      return continueAsNew<typeof revo>({
        ...withoutHandOver(start),
        continued: { continuation: outcome.continuation, startedAt, signals: [...runtime.inbox.list()], sequence: runtime.completedActivities },
      });
    case 'cancelled':
      throw new CancelledFailure(outcome.error!.message, [outcome.error]);
    case 'failed':
      // Searchable by why it failed, where the namespace has Revo's attributes (this run then carries them).
      if (workflowInfo().typedSearchAttributes.get(REVO_WORKFLOW) !== undefined) upsertSearchAttributes([{ key: REVO_ERROR_TYPE, value: outcome.error!.type }]);
      throw runFailure(outcome.error!);
  }
}

/** The next part of a continued run needs not the local journal: the continuation carries where the run is. */
function withoutHandOver({ handedOver: _handedOver, ...start }: RevoWorkflowInput): RevoWorkflowInput {
  return start;
}
