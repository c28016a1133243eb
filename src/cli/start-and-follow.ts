/** Starting a run and seeing it through: what `revo run` and `revo rerun` share. */
import type { Revo, StartOptions, Workflow } from '../api/revo.js';
import type { Terminal } from './cli-revo.js';
import { followRun, type FollowOptions } from './follow-run.js';

const ENGINE_NAMES = { local: 'local engine', temporal: 'Temporal engine' };

export async function startAndFollow(revo: Revo, workflow: Workflow, start: StartOptions, term: Terminal, options: FollowOptions): Promise<number> {
  const handle = await revo.start(workflow, start);
  // The auto engine says itself where the run went, and why.
  const said = (start.engine ?? revo.engine) === 'auto' ? undefined : `run ${handle.runId} started (${workflow.name}, ${ENGINE_NAMES[handle.engine]})`;
  return followRun(revo, handle, term, options, said);
}
