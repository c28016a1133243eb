/**
 * The runs list (`revo runs`, every engine) with its filters and search, kept in the
 * address (`/?status=failed&search=…`) and live: the server sends the list again
 * whenever it changes.
 *
 * Hooks: form.filters [name=workflow|status|engine|errorType|since|search]; table.runs
 * tr[data-run-id][data-status]; .note[data-note=temporal|skipped|more|empty].
 */
import { useEffect, useState } from 'preact/hooks';
import { FILTER_PARAMS, type RunsReply } from '../protocol.js';
import { navigate, useStream } from './api.js';
import { duration, stamp } from './format.js';

const STATUSES = ['running', 'interrupted', 'completed', 'failed', 'cancelled', 'handed over'];
const SINCE = [['', 'any time'], ['1h', 'last hour'], ['24h', 'last 24 hours'], ['7d', 'last 7 days'], ['30d', 'last 30 days']];

export function RunsList({ search }: { search: string }) {
  const params = new URLSearchParams(search);
  const [typed, setTyped] = useState(params.get('search') ?? '');
  const query = new URLSearchParams([...params].filter(([name, value]) => (FILTER_PARAMS as readonly string[]).includes(name) && value !== '')).toString();
  const { value: reply, error } = useStream<RunsReply>(`/api/runs/stream${query ? `?${query}` : ''}`, 'runs');

  const set = (name: string, value: string) => {
    // The address as it is now: a search applied after a pause must not undo a filter chosen meanwhile.
    const next = new URLSearchParams(window.location.search);
    if (value === '') next.delete(name);
    else next.set(name, value);
    const text = next.toString();
    navigate(`/${text ? `?${text}` : ''}`);
  };
  // The search applies once typing pauses, not at every key.
  useEffect(() => {
    if (typed === (params.get('search') ?? '')) return;
    const timer = setTimeout(() => set('search', typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);

  const select = (name: string, label: string, options: string[][]) => (
    <label>
      {label}
      <select name={name} value={params.get(name) ?? ''} onChange={(e) => set(name, e.currentTarget.value)}>
        {options.map(([value, text]) => (
          <option value={value}>{text}</option>
        ))}
      </select>
    </label>
  );
  const text = (name: string, label: string, placeholder: string) => (
    <label>
      {label}
      <input name={name} value={params.get(name) ?? ''} placeholder={placeholder} onChange={(e) => set(name, e.currentTarget.value.trim())} />
    </label>
  );

  return (
    <main class="list">
      <h1>Runs</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label class="search">
          Search
          <input name="search" type="search" value={typed} placeholder="run id, workflow, error, input…" onInput={(e) => setTyped(e.currentTarget.value)} />
        </label>
        {text('workflow', 'Workflow', 'any')}
        {select('status', 'Status', [['', 'any'], ...STATUSES.map((s) => [s, s])])}
        {select('engine', 'Engine', [['', 'any'], ['local', 'local'], ['temporal', 'temporal']])}
        {text('errorType', 'Error type', 'any')}
        {select('since', 'Started', SINCE)}
      </form>
      {error && <p class="note error" data-note="error">{error}</p>}
      {reply?.temporalUnavailable && <p class="note" data-note="temporal">Runs on Temporal are not listed: {reply.temporalUnavailable}</p>}
      {reply?.skipped?.map((s) => (
        <p class="note" data-note="skipped">
          Skipped run {s.runId}: {s.reason}
        </p>
      ))}
      {reply === undefined && !error && <p class="note">Loading…</p>}
      {reply && reply.runs.length === 0 && <p class="note" data-note="empty">{query ? 'No runs match.' : 'No runs yet: start one with revo run <file>.'}</p>}
      {reply && reply.runs.length > 0 && (
        <table class="runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Workflow</th>
              <th>Status</th>
              <th>Engine</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Steps</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {reply.runs.map((run) => (
              <tr key={run.runId} data-run-id={run.runId} data-status={run.status}>
                <td>
                  <a href={`/runs/${encodeURIComponent(run.runId)}`}>{run.runId}</a>
                </td>
                <td>
                  {run.workflow}
                  {run.version !== undefined && <span class="version"> {run.version}</span>}
                </td>
                <td>
                  <span class="badge" data-status={run.status}>{run.status}</span>
                </td>
                <td>{run.engine}</td>
                <td>{stamp(run.startedAt)}</td>
                <td>{run.durationMs !== undefined ? duration(run.durationMs) : '-'}</td>
                <td>{run.stepsDone ?? '-'}</td>
                <td>{run.errorType ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reply?.more !== undefined && (
        <p class="note" data-note="more">
          …and more.{' '}
          <a href={`/?${new URLSearchParams({ ...Object.fromEntries(params), limit: String(Number(params.get('limit') ?? 20) * 2) })}`}>Show more</a>
        </p>
      )}
    </main>
  );
}
