/**
 * Every example in definitions/, with every input in definitions/inputs/, gives the
 * same run record on both engines: status, output, error, and each step's status and
 * attempt count. Days-long sleeps and waits are shortened (in the one bundle both
 * engines run), since a dev server's timers are real; signals are sent right after
 * the start, which the buffering of docs/dsl.md#signals-and-queries makes the same as sending them later.
 *
 * With REVO_RECORD_HISTORIES=1 it also writes each Temporal history to
 * test/fixtures/histories/revision-<WORKFLOW_REVISION>/, which test/replay-histories.test.ts
 * replays on every run: recorded once per workflow revision, when the revision is new.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import { formatDuration, parseDuration } from '../../interpreter/duration.js';
import type { Json, Step } from '../../interpreter/model.js';
import { walkSteps } from '../../interpreter/walk.js';
import { loadActivities } from '../../src/activities/catalog.js';
import type { ActivityDefinition } from '../../src/activities/types.js';
import type { RunRecord } from '../../src/history/record.js';
import { buildBundle } from '../../src/load/bundle.js';
import { WorkflowSet } from '../../src/load/workflow-set.js';
import { VirtualClock } from '../../src/local/clock.js';
import { LocalEngine } from '../../src/local/engine.js';
import { WORKFLOW_REVISION } from '../../src/sandboxed/workflow/contract.js';
import { comparableRecord, temporalEnv, type TemporalTestEnv } from './harness.js';

const DEFINITIONS = join(import.meta.dirname, '..', '..', 'definitions');
const INPUTS = join(DEFINITIONS, 'inputs');
const HISTORIES = join(import.meta.dirname, '..', 'fixtures', 'histories', `revision-${WORKFLOW_REVISION}`);
const INPUT_FILES = readdirSync(INPUTS).filter((f) => f.endsWith('.json')).sort();
/** Longest sleep or wait timeout kept: real time on the dev server. */
const LONGEST_MS = 300;

const SIGNALS: Record<string, { name: string; payload: Json }[]> = {
  'customer-onboarding.json': [{ name: 'approve', payload: { decision: 'approved', by: 'amara.okafor', note: 'US entity verified' } }],
  'customer-onboarding.high-risk.json': [{ name: 'approve', payload: { decision: 'rejected', by: 'mei.tanaka', note: 'sanctions screening hit' } }],
};

let activities: ActivityDefinition[];
let env: TemporalTestEnv;
interface ExportApi {
  url: string;
  close(): Promise<void>;
}
let startExportApi: (options: { port: number }) => Promise<ExportApi>;

beforeAll(async () => {
  const loaded = await loadActivities({ activities: [join(DEFINITIONS, 'activities', 'index.ts')] });
  activities = loaded.definitions;
  env = await temporalEnv(activities);
  ({ startExportApi } = (await import(pathToFileURL(join(DEFINITIONS, 'export-api.mjs')).href)) as { startExportApi: typeof startExportApi });
});
afterAll(async () => {
  await env?.close();
});

/** report-export talks to the demo export API: a fresh one per run (on one port), so both engines see the same job ids and URLs. */
let exportPort = 0;
async function withExportApi<T>(name: string, input: Json, run: (input: Json) => Promise<T>): Promise<T> {
  if (name !== 'report-export') return run(input);
  const api = await startExportApi({ port: exportPort });
  exportPort = Number(new URL(api.url).port);
  try {
    return await run({ ...(input as Record<string, Json>), baseUrl: api.url });
  } finally {
    await api.close();
  }
}

async function bundleOf(name: string): Promise<WorkflowBundle> {
  const file = join(DEFINITIONS, `${name}.yaml`);
  // nightly-sales-report names its child by name: load the set as `revo validate definitions/` does.
  const set = await WorkflowSet.load(readdirSync(DEFINITIONS).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => join(DEFINITIONS, f)));
  const loaded = set.files().find((f) => f.file === file)!;
  const catalog = new Map(activities.map((d) => [d.name, d]));
  return shortened(buildBundle(loaded, set, catalog));
}

/** The bundle with every duration in `sleep` steps and `wait` timeouts capped at LONGEST_MS. */
function shortened(bundle: WorkflowBundle): WorkflowBundle {
  const cap = (value: Json): Json => {
    if (typeof value === 'string') {
      const ms = parseDuration(value);
      return ms === undefined ? value : formatDuration(Math.min(ms, LONGEST_MS));
    }
    if (Array.isArray(value)) return value.map(cap);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cap(v)]));
    return value;
  };
  const definition = structuredClone(bundle.definition);
  for (const { step } of walkSteps(definition.steps)) {
    const s = step as Step & { sleep?: Json; wait?: { timeout?: string } };
    if (s.sleep !== undefined) s.sleep = cap(s.sleep);
    if (s.wait?.timeout !== undefined) s.wait.timeout = cap(s.wait.timeout) as string;
  }
  const children = Object.fromEntries(Object.entries(bundle.children).map(([ref, child]) => [ref, shortened(child)]));
  return { ...bundle, definition, children };
}


async function runLocally(bundle: WorkflowBundle, input: Json, signals: { name: string; payload: Json }[]): Promise<RunRecord> {
  const engine = new LocalEngine({ activities: new Map(activities.map((d) => [d.name, d])), store: null, clock: new VirtualClock() });
  const run = engine.start({ bundle, input });
  for (const signal of signals) run.signal(signal.name, signal.payload);
  await run.done;
  return run.record;
}

describe('every example gives the same run record on both engines', () => {
  it.each(INPUT_FILES)('%s', async (inputFile) => {
    const name = inputFile.split('.')[0]!;
    const bundle = await bundleOf(name);
    const input = JSON.parse(readFileSync(join(INPUTS, inputFile), 'utf8')) as Json;
    const signals = SIGNALS[inputFile] ?? [];
    const local = await withExportApi(name, input, (input) => runLocally(bundle, input, signals));
    const onTemporal = await withExportApi(name, input, (input) =>
      env.runBundle(bundle, {
        input,
        async before(handle) {
          for (const signal of signals) await handle.signal(signal.name, signal.payload);
        },
      }),
    );
    expect(onTemporal.record.engine).toBe('temporal');
    if (process.env.REVO_RECORD_HISTORIES) {
      // The workflow id too: the definitions read it (`workflow.id`), so a replay must use the same.
      const history = JSON.parse(historyToJSON(await onTemporal.handle.fetchHistory())) as unknown;
      mkdirSync(HISTORIES, { recursive: true });
      writeFileSync(join(HISTORIES, inputFile), `${JSON.stringify({ workflowId: onTemporal.handle.workflowId, history })}\n`);
    }
    expect(comparableRecord(onTemporal.record)).toEqual(comparableRecord(local));
  });
});
