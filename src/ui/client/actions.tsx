/**
 * The run page's actions — Replay, Re-run, Re-run from a step, Signal, Cancel — each
 * asked for in a dialog that says what it will do, then sent with the session's token;
 * its outcome stays on the page, with a link to the run it started.
 *
 * Hooks: button[data-action=replay|rerun|signal|cancel], button[data-rerun-from=<key>] (in the steps table);
 * dialog.confirm[data-confirming=<action>] with button[data-confirm] / [data-dismiss];
 * .outcome-box[data-outcome=<action>][data-ok=true|false], a[data-new-run] in it, [data-divergence].
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Json } from '../../../interpreter/model.js';
import type { ReplayReply, RerunReply, RunView, SignalCheckReply } from '../protocol.js';
import { post } from './api.js';
import { SignalForm } from './signal-form.js';

export interface Outcome {
  action: string;
  ok: boolean;
  text: string;
  /** The run it started. */
  runId?: string;
  divergence?: { key: string; message: string };
}

interface Asking {
  action: string;
  title: string;
  body: ComponentChildren;
  /** Absent when the body is a form that sends by itself. */
  confirm?: { label: string; run: () => Promise<Outcome> };
}

const path = (runId: string, action: string) => `/api/runs/${encodeURIComponent(runId)}/${action}`;

export function useActions(view: RunView | undefined) {
  const [asking, setAsking] = useState<Asking>();
  const [outcome, setOutcome] = useState<Outcome>();

  const finish = (o: Outcome) => {
    setAsking(undefined);
    setOutcome(o);
  };
  const attempt = async (action: string, run: () => Promise<Outcome>) => {
    try {
      finish(await run());
    } catch (error) {
      finish({ action, ok: false, text: (error as Error).message });
    }
  };

  const rerunFrom = (step?: string) => {
    if (!view) return;
    setAsking({
      action: 'rerun',
      title: step ? `Re-run from step ${step}?` : 'Re-run this run?',
      body: step ? (
        <p>
          A new run with the same input: the steps before <code>{step}</code> answer from this run's record (nothing before it runs again), and it runs live from <code>{step}</code> on.
        </p>
      ) : (
        <p>A new run of {view.definition.name} with this run's input and definition, from the start: every step runs again, side effects included.</p>
      ),
      confirm: {
        label: step ? `Re-run from ${step}` : 'Re-run',
        run: async () => {
          const reply = await post<RerunReply>(path(view.runId, 'rerun'), step ? { from: step } : {});
          return { action: 'rerun', ok: true, text: `Started run ${reply.runId}${step ? ` from step ${step}` : ''}.`, runId: reply.runId };
        },
      },
    });
  };

  const ask = {
    replay: () =>
      view &&
      setAsking({
        action: 'replay',
        title: 'Replay this run?',
        body: <p>Rebuilds the run from its record against its recorded definition and says whether it takes the same path. Nothing runs: no activity, timer or signal.</p>,
        confirm: {
          label: 'Replay',
          run: async () => {
            const reply = await post<ReplayReply>(path(view.runId, 'replay'));
            const text = reply.matches
              ? 'The replay matches the recording: same steps, same inputs, same decisions.'
              : reply.temporalProblem !== undefined
                ? `Temporal's determinism check failed: ${reply.temporalProblem}`
                : `The replay diverges at step ${reply.divergence!.key}.`;
            return { action: 'replay', ok: reply.matches, text: [text, ...reply.notes].join(' '), ...(reply.divergence && { divergence: reply.divergence }) };
          },
        },
      }),
    rerun: () => rerunFrom(),
    rerunFrom,
    signal: () =>
      view &&
      setAsking({
        action: 'signal',
        title: 'Send a signal',
        body: (
          <SignalForm
            signals={view.definition.signals}
            check={async (name: string, payload: Json) => (await post<SignalCheckReply>(path(view.runId, 'check-signal'), { name, payload })).problem}
            send={async (name: string, payload: Json) => {
              await post(path(view.runId, 'signal'), { name, payload });
              finish({ action: 'signal', ok: true, text: `Sent signal ${name}.` });
            }}
          />
        ),
      }),
    cancel: () =>
      view &&
      setAsking({
        action: 'cancel',
        title: 'Cancel this run?',
        body: <p>Running steps stop, finally blocks and compensations run, and the run ends cancelled. This cannot be undone.</p>,
        confirm: {
          label: 'Cancel the run',
          run: async () => {
            await post(path(view.runId, 'cancel'), { reason: 'cancelled from revo ui' });
            return { action: 'cancel', ok: true, text: 'Asked the run to cancel.' };
          },
        },
      }),
  };

  const dialog = asking && <Confirm asking={asking} dismiss={() => setAsking(undefined)} attempt={attempt} />;
  return { ask, dialog, outcome };
}

function Confirm({ asking, dismiss, attempt }: { asking: Asking; dismiss: () => void; attempt: (action: string, run: () => Promise<Outcome>) => Promise<void> }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} class="confirm" data-confirming={asking.action} onClose={dismiss}>
      <h2>{asking.title}</h2>
      {asking.body}
      <div class="buttons">
        {asking.confirm && (
          <button
            type="button"
            class="primary"
            data-confirm
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void attempt(asking.action, asking.confirm!.run);
            }}
          >
            {asking.confirm.label}
          </button>
        )}
        <button type="button" data-dismiss onClick={dismiss}>
          Close
        </button>
      </div>
    </dialog>
  );
}

export function OutcomeBox({ outcome }: { outcome: Outcome }) {
  return (
    <div class="outcome-box" data-outcome={outcome.action} data-ok={String(outcome.ok)} role="status">
      <p>
        {outcome.text}{' '}
        {outcome.runId !== undefined && (
          <a data-new-run href={`/runs/${encodeURIComponent(outcome.runId)}`}>
            Open run {outcome.runId}
          </a>
        )}
      </p>
      {outcome.divergence && (
        <p data-divergence={outcome.divergence.key}>
          First divergence, at step <code>{outcome.divergence.key}</code>: {outcome.divergence.message}
        </p>
      )}
    </div>
  );
}
