/**
 * What the `revo ui` server and its page say to each other (docs/ui.md): the JSON of
 * every route, the header that carries the session's token, and the routes themselves.
 * Types and constants only, so the browser bundle imports it too.
 */
import type { JsonSchema } from '../../interpreter/model.js';
import type { RunList } from '../api/list-runs.js';
import type { RunRecord } from '../history/record.js';
import type { DisplayStatus } from '../text.js';

/** The port `revo ui` serves on unless told otherwise. */
export const DEFAULT_UI_PORT = 4880;

/** The header every mutation carries the session's token in; the page reads it from `<meta name="revo-token">`. */
export const TOKEN_HEADER = 'x-revo-token';

/** The query parameters of `/api/runs` and `/api/runs/stream`: RunFilter's fields as text. */
export const FILTER_PARAMS = ['workflow', 'status', 'engine', 'errorType', 'since', 'until', 'search', 'limit'] as const;
export type FilterParams = Partial<Record<(typeof FILTER_PARAMS)[number], string>>;

/** `GET /api/runs`, and each `runs` event of `/api/runs/stream`. */
export interface RunsReply {
  runs: RunList;
  /** Runs left out by the limit (see RunList.more). */
  more?: number;
  temporalUnavailable?: string;
  skipped?: { runId: string; reason: string }[];
}

export interface SignalView {
  name: string;
  description?: string;
  schema?: JsonSchema;
}

/** `GET /api/runs/:id`, and each `run` event of `/api/runs/:id/stream`. */
export interface RunView {
  runId: string;
  /** As the runs list shows it: `interrupted` for a run nobody drives now. */
  status: DisplayStatus;
  record: RunRecord;
  /** The workflow's name and its signals, for the signal form (checked by the server, as the run would, before sending). */
  definition: { name: string; signals: SignalView[] };
  /** The run this one re-runs (its trigger `rerun:<id>` or `rerun:<id>@<step>`), and the step it re-ran from. */
  rerunOf?: { runId: string; from?: string };
  /** The journal ended in a partial line (a crash mid-write), which is not shown. */
  cutOff: boolean;
}

/** `POST /api/runs/:id/replay`. */
export interface ReplayReply {
  /** The replay took the recorded path all the way. */
  matches: boolean;
  divergence?: { key: string; message: string };
  temporalProblem?: string;
  definitionFile?: string;
  notes: string[];
}

/** `POST /api/runs/:id/rerun` with `{ from? }`. */
export interface RerunReply {
  runId: string;
}

/** Every refusal: a status code and this. */
export interface ErrorReply {
  error: string;
}

/** POST /api/runs/<id>/check-signal: why the run would refuse the payload, if it would. */
export interface SignalCheckReply {
  problem?: string;
}
