import type { RunOutcome } from '../../../interpreter/run.js';

/** What `revo run` prints on stdout when a run ends: its output, or its error and where to look. */
export function outcomeSummary(runId: string, outcome: RunOutcome): string {
  const head = `run ${runId} ${outcome.status}`;
  if (outcome.status === 'completed') return `${head}\n${JSON.stringify(outcome.output ?? null, null, 2)}\n`;
  const error = outcome.error!;
  const where = error.step ? ` in step "${error.step}"` : '';
  return `${head}: ${error.type}${where}: ${error.message}\nsee every step with: revo history ${runId}\n`;
}
