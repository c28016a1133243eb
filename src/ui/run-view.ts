/** The run page's data (RunView in protocol.ts), from the run's history wherever it ran. */
import type { RunStatus } from '../../interpreter/run.js';
import type { RunHistory } from '../api/run-history.js';
import { displayStatus } from '../text.js';
import type { RunView } from './protocol.js';

export function runView(history: RunHistory): RunView {
  const { record, bundle } = history;
  const signals = Object.entries(bundle.definition.signals ?? {}).map(([name, declared]) => ({
    name,
    ...(declared.description !== undefined && { description: declared.description }),
    ...(declared.schema !== undefined && { schema: declared.schema }),
  }));
  const rerunOf = /^rerun:([^@]+)(?:@(.+))?$/.exec(record.trigger.by);
  return {
    runId: history.runId,
    status: record.handovers.length > 0 && !history.held ? 'handed over' : displayStatus(record.status as RunStatus, history.held),
    record,
    definition: { name: bundle.definition.name, signals },
    ...(rerunOf && { rerunOf: { runId: rerunOf[1]!, ...(rerunOf[2] !== undefined && { from: rerunOf[2] }) } }),
    cutOff: history.cutOff,
  };
}
