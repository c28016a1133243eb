/**
 * Determinism guard (docs/architecture.md): the Temporal histories recorded from the
 * definitions/ examples (test/fixtures/histories, written by the parity test with
 * REVO_RECORD_HISTORIES=1) must replay against the current workflow code. A change
 * to the interpreter that would issue different commands for an existing history
 * fails here; guard it with `patched()` (see docs/temporal.md).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { HISTORY_SINK, METRICS_SINK } from '../src/sandboxed/workflow/contract.js';
import { installSdkRuntime } from '../src/temporal/sdk-runtime.js';
import { workflowBundle } from '../src/temporal/workflow-code.js';

const DIR = join(import.meta.dirname, 'fixtures', 'histories');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
interface Recorded {
  workflowId: string;
  history: { events: Record<string, unknown>[] };
}
const read = (file: string) => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Recorded;

async function replay(histories: { workflowId: string; history: unknown }[]) {
  installSdkRuntime();
  const results = [];
  const options = { workflowBundle: workflowBundle(), sinks: { [HISTORY_SINK]: { event: { fn: () => {} } }, [METRICS_SINK]: { fact: { fn: () => {} } } } };
  for await (const result of Worker.runReplayHistories(options, histories.map((h) => ({ workflowId: h.workflowId, history: historyFromJSON(h.history) })))) results.push(result);
  return results;
}

describe('recorded Temporal histories replay against the current workflow code', () => {
  it('has a history for every example input', () => {
    const inputs = readdirSync(join(import.meta.dirname, '..', 'definitions', 'inputs')).filter((f) => f.endsWith('.json')).sort();
    expect(FILES).toEqual(inputs);
  });

  it('replays every one without a determinism violation', async () => {
    const results = await replay(FILES.map(read));
    expect(results).toHaveLength(FILES.length);
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error!.message}`)).toEqual([]);
  });

  it('catches a history the code would not produce (an activity renamed in the record)', async () => {
    const { history } = read('order-fulfilment.json');
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes) as { activityTaskScheduledEventAttributes: { activityType: { name: string } } };
    scheduled.activityTaskScheduledEventAttributes.activityType.name = 'payments.somethingElse';
    const [result] = await replay([{ workflowId: 'tampered', history }]);
    expect(result!.error?.name).toMatch(/DeterminismViolation/);
  });
});
