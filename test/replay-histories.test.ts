/**
 * Determinism guard (docs/architecture.md): the Temporal histories recorded from the
 * definitions/ examples must replay against the current workflow code. They are kept per
 * workflow revision (test/fixtures/histories/revision-<n>/, written by the parity test with
 * REVO_RECORD_HISTORIES=1 when a revision is new), because runs of every revision may still
 * be in flight. A change to the interpreter that would issue different commands for an
 * existing history fails here; guard it with `patched()` or a revision (see docs/temporal.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { HISTORY_SINK, METRICS_SINK, WORKFLOW_REVISION } from '../src/sandboxed/workflow/contract.js';
import { installSdkRuntime } from '../src/temporal/sdk-runtime.js';
import { workflowBundle } from '../src/temporal/workflow-code.js';

const ROOT = join(import.meta.dirname, 'fixtures', 'histories');
const REVISIONS = readdirSync(ROOT).filter((d) => /^revision-\d+$/.test(d)).sort();
const filesOf = (revision: string) => readdirSync(join(ROOT, revision)).filter((f) => f.endsWith('.json')).sort();
interface Recorded {
  workflowId: string;
  history: { events: Record<string, unknown>[] };
}
const read = (revision: string, file: string) => JSON.parse(readFileSync(join(ROOT, revision, file), 'utf8')) as Recorded;

/** The revision a history's run started under (absent before revision 1: 0). */
function revisionOf(recorded: Recorded): number {
  const started = recorded.history.events[0] as { workflowExecutionStartedEventAttributes: { input: { payloads: { data: string }[] } } };
  const argument = JSON.parse(Buffer.from(started.workflowExecutionStartedEventAttributes.input.payloads[0]!.data, 'base64').toString('utf8')) as { revision?: number };
  return argument.revision ?? 0;
}

async function replay(histories: { workflowId: string; history: unknown }[]) {
  installSdkRuntime();
  const results = [];
  const options = { workflowBundle: workflowBundle(), sinks: { [HISTORY_SINK]: { event: { fn: () => {} } }, [METRICS_SINK]: { fact: { fn: () => {} } } } };
  for await (const result of Worker.runReplayHistories(options, histories.map((h) => ({ workflowId: h.workflowId, history: historyFromJSON(h.history) })))) results.push(result);
  return results;
}

describe('recorded Temporal histories replay against the current workflow code', () => {
  const inputs = readdirSync(join(import.meta.dirname, '..', 'definitions', 'inputs')).filter((f) => f.endsWith('.json')).sort();

  it('has, for the current revision and the oldest, a history for every example input', () => {
    expect(REVISIONS).toContain('revision-0');
    expect(REVISIONS).toContain(`revision-${WORKFLOW_REVISION}`);
    for (const revision of REVISIONS) expect(filesOf(revision)).toEqual(inputs);
  });

  it('keeps each history under the revision its run started with', () => {
    for (const revision of REVISIONS) {
      for (const file of filesOf(revision)) expect(`revision-${revisionOf(read(revision, file))}`, `${revision}/${file}`).toBe(revision);
    }
  });

  for (const revision of REVISIONS) {
    it(`replays every one of ${revision} without a determinism violation`, async () => {
      const files = filesOf(revision);
      const results = await replay(files.map((file) => read(revision, file)));
      expect(results).toHaveLength(files.length);
      expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error!.message}`)).toEqual([]);
    });
  }

  it('catches a history the code would not produce (an activity renamed in the record)', async () => {
    const { history } = read('revision-0', 'order-fulfilment.json');
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes) as { activityTaskScheduledEventAttributes: { activityType: { name: string } } };
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'payments.somethingElse';
    const [result] = await replay([{ workflowId: 'tampered', history }]);
    expect(result!.error?.name).toMatch(/DeterminismViolation/);
  });
});
