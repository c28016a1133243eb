/** A real run of the order fixture through the CLI (`revo run`, then `revo signal`), and a hand-over put into its journal. */
import { join } from 'node:path';
import type { Json } from '../../interpreter/model.js';
import { rewriteJournal, startRun, until, workspace, type Workspace } from '../process-helpers.js';
import { ORDER_ACTIVITIES, orderWorkflow } from './fixture.js';

/** Runs the fixture to its end (it fails at `ship`, after compensating); `note` goes into the charge, `approval` is the signal's payload. */
export async function orderRun(note: string, approval: Json): Promise<{ ws: Workspace; runId: string }> {
  const ws = workspace({ 'order.yaml': orderWorkflow(note), 'activities.mjs': ORDER_ACTIVITIES });
  const run = await startRun(ws, ['order.yaml', '--activities', 'activities.mjs']);
  await until(() => ws.revo(['query', run.runId]).stdout.includes('"gate"'), 'the wait for the signal');
  const sent = ws.revo(['signal', run.runId, 'approve', JSON.stringify(approval)]);
  if (sent.status !== 0) throw new Error(`revo signal failed: ${sent.stderr}`);
  const code = await run.exited;
  if (code !== 1) throw new Error(`the run should fail at ship (exit 1), exited ${code}: ${run.stderr()}`);
  return { ws, runId: run.runId };
}

/**
 * Puts an `engine.handover` local → temporal into the run's journal right after `afterKey`
 * completed, as `--engine auto` writes it (the steps after it then count as run on Temporal).
 */
export function insertHandover(ws: Workspace, runId: string, afterKey: string, reason = 'Temporal became reachable'): void {
  const journal = join(ws.env.REVO_HOME, 'runs', `${runId}.jsonl`);
  rewriteJournal(journal, (entries) => {
    const index = entries.findIndex((e) => e.type === 'step.completed' && e.key === afterKey);
    if (index === -1) throw new Error(`no step.completed of ${afterKey} in ${journal}`);
    return [...entries.slice(0, index + 1), { type: 'engine.handover', from: 'local', to: 'temporal', reason, at: (entries[index]!.at as number) + 1 }, ...entries.slice(index + 1)];
  });
}
