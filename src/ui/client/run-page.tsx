/**
 * A run's page: its facts, the actions, input / output / error, the timeline of
 * `revo history --html` (framed from the server, reloaded as the run goes on), the
 * steps with "Re-run from here", the logs and the definition's graph. Live: the server
 * sends the run's view again after every change, until the run ends.
 *
 * Hooks: [data-run-status], [data-run-fact=<name>], pre[data-value=input|output|error],
 * iframe.timeline-frame, table.steps tr[data-step-key][data-status][data-reused],
 * ol.logs li[data-level], img.graph.
 */
import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';
import type { StepRecord } from '../../history/record.js';
import type { RunView } from '../protocol.js';
import { useStream } from './api.js';
import { OutcomeBox, useActions } from './actions.js';
import { duration, jsonText, stamp } from './format.js';

/** Set by `revo rerun --from` on the steps a re-run answered from the earlier run's record. */
const reused = (step: StepRecord) => (step as StepRecord & { reused?: boolean }).reused === true;

export function RunPage({ runId }: { runId: string }) {
  const base = `/api/runs/${encodeURIComponent(runId)}`;
  const { value: view, error, ended } = useStream<RunView>(`${base}/stream`, 'run');
  const { ask, dialog, outcome } = useActions(view);

  if (!view) {
    return <main class="run">{error ? <p class="note error" data-note="error">{error}</p> : <p class="note">Loading…</p>}</main>;
  }
  const { record } = view;
  const running = view.status === 'running';
  const finished = record.status !== 'running';
  const engines = record.handovers.length > 0 ? [record.handovers[0]!.from, ...record.handovers.map((h) => h.to)].join(' → ') : record.engine;
  const fact = (name: string, label: string, value: ComponentChildren) => (
    <div data-run-fact={name}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );

  return (
    <main class="run">
      <div class="heading">
        <h1>
          {record.workflow}
          {record.version !== undefined && <span class="version"> v{record.version}</span>}
        </h1>
        <span class="badge" data-run-status={view.status} data-status={view.status}>
          {view.status}
        </span>
        {running && !ended && <span class="live">live</span>}
      </div>
      <dl class="facts">
        {fact('id', 'run', <code>{view.runId}</code>)}
        {fact('engine', record.handovers.length > 0 ? 'engines' : 'engine', engines)}
        {fact(
          'trigger',
          'started by',
          view.rerunOf ? (
            <>
              re-run of <a href={`/runs/${encodeURIComponent(view.rerunOf.runId)}`}>{view.rerunOf.runId}</a>
              {view.rerunOf.from !== undefined && <> from step <code>{view.rerunOf.from}</code></>}
            </>
          ) : (
            record.trigger.by || '-'
          ),
        )}
        {fact('started', 'started', stamp(record.startedAt))}
        {fact('ended', 'ended', record.endedAt ? stamp(record.endedAt) : running ? 'still running' : '-')}
        {record.startedAt && record.endedAt && fact('duration', 'duration', duration(Date.parse(record.endedAt) - Date.parse(record.startedAt)))}
      </dl>
      {view.cutOff && <p class="note">The journal ends in a partial line (its process was killed while writing); that line is not shown.</p>}

      <div class="actions" role="toolbar" aria-label="Actions">
        <button type="button" data-action="replay" onClick={ask.replay}>
          Replay
        </button>
        <button type="button" data-action="rerun" onClick={ask.rerun}>
          Re-run
        </button>
        {running && view.definition.signals.length > 0 && (
          <button type="button" data-action="signal" onClick={ask.signal}>
            Signal
          </button>
        )}
        {running && (
          <button type="button" class="danger" data-action="cancel" onClick={ask.cancel}>
            Cancel
          </button>
        )}
      </div>
      {outcome && <OutcomeBox outcome={outcome} />}
      {dialog}

      <section class="values">
        <Value name="input" value={record.trigger.input} />
        {record.output !== undefined && <Value name="output" value={record.output} />}
        {record.error !== undefined && <Value name="error" value={record.error} />}
      </section>

      <section>
        <h2>Timeline</h2>
        <Timeline runId={runId} version={record} />
      </section>

      <div class="columns">
        <section>
          <h2>Steps</h2>
          <Steps steps={record.steps} finished={finished} rerunFrom={ask.rerunFrom} />
        </section>
        <section>
          <h2>Graph</h2>
          <img class="graph" src={`${base}/graph.svg`} alt={`the steps of ${record.workflow} as a graph`} />
        </section>
      </div>

      {record.logs.length > 0 && (
        <section>
          <h2>Logs</h2>
          <ol class="logs">
            {record.logs.map((log) => (
              <li data-level={log.level}>
                <span class="when">{stamp(log.at)}</span> <span class="badge" data-status={log.level}>{log.level}</span> <code>{log.key}</code> <span class="message">{log.message}</span>
                {log.data !== undefined && <pre>{jsonText(log.data)}</pre>}
              </li>
            ))}
          </ol>
        </section>
      )}

    </main>
  );
}

function Value({ name, value }: { name: string; value: unknown }) {
  return (
    <div class="value">
      <h2>{name}</h2>
      <pre data-value={name}>{jsonText(value)}</pre>
    </div>
  );
}

/** The timeline page in a frame, loaded again whenever the record changes; the step shown in its details panel stays shown. */
function Timeline({ runId, version }: { runId: string; version: object }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const shown = useRef<string | null>(null);
  const loads = useRef({ count: 0, of: undefined as object | undefined });
  if (loads.current.of !== version) loads.current = { count: loads.current.count + 1, of: version };
  const loaded = () => {
    const doc = frame.current?.contentDocument;
    if (!doc) return;
    if (shown.current) (doc.querySelector(`[data-panel="${CSS.escape(shown.current)}"]`) as HTMLElement | null)?.click();
    doc.addEventListener('click', () => {
      shown.current = doc.getElementById('details')?.getAttribute('data-panel-shown') ?? shown.current;
    });
  };
  return <iframe ref={frame} class="timeline-frame" title="timeline" src={`/runs/${encodeURIComponent(runId)}/timeline?v=${loads.current.count}`} onLoad={loaded} />;
}

function Steps({ steps, finished, rerunFrom }: { steps: StepRecord[]; finished: boolean; rerunFrom: (key: string) => void }) {
  if (steps.length === 0) return <p class="note">No step has started.</p>;
  const depth = new Map<string, number>();
  for (const s of steps) depth.set(s.key, s.parent !== undefined && s.parent !== s.key ? (depth.get(s.parent) ?? 0) + 1 : 0);
  return (
    <table class="steps">
      <thead>
        <tr>
          <th>Step</th>
          <th>Kind</th>
          <th>Status</th>
          <th>Duration</th>
          <th>Attempts</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={s.key} data-step-key={s.key} data-status={s.status} data-reused={String(reused(s))}>
            <td class={`depth-${Math.min(depth.get(s.key) ?? 0, 6)}`}>
              <code>{s.key}</code>
              {reused(s) && <span class="badge reused" title="answered from the earlier run's record: it did not run again">reused</span>}
            </td>
            <td>{s.activity !== undefined ? `${s.kind} ${s.activity}` : s.kind}</td>
            <td>
              <span class="badge" data-status={s.status}>{s.status}</span>
              {s.error && <span class="step-error"> {s.error.type}: {s.error.message}</span>}
            </td>
            <td>{s.durationMs !== undefined ? duration(s.durationMs) : '-'}</td>
            <td>{s.attempts ?? ''}</td>
            <td>
              {finished && (
                <button type="button" class="small" data-rerun-from={s.key} onClick={() => rerunFrom(s.key)}>
                  Re-run from here
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
