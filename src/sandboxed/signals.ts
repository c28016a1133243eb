/**
 * Whether a run takes a signal (docs/dsl.md#signals-and-queries): the name must be
 * declared and the payload must stay within the limits on values and match its schema. The same rule, and the same words,
 * for the sender (`revo signal`, `RunHandle.signal`) and for the run itself (the local
 * inbox, the Temporal signal handlers), so a refusal reads the same everywhere.
 */
import type { WorkflowDefinition, Json } from '../../interpreter/model.js';
import { schemaProblem } from './payload-check.js';
import { valueLimitProblem } from './value-limits.js';

/** Why the run refuses signal `name` with `payload`, or undefined when it takes it. */
export function signalProblem(definition: WorkflowDefinition, name: string, payload: Json): string | undefined {
  const declared = definition.signals ?? {};
  if (!Object.prototype.hasOwnProperty.call(declared, name)) {
    const names = Object.keys(declared);
    return `workflow "${definition.name}" declares no signal "${name}"${names.length ? ` (it declares: ${names.join(', ')})` : ''}`;
  }
  // The limits first: the schema check recurses, and a payload nested deep enough would overflow it.
  const tooBig = valueLimitProblem(payload);
  if (tooBig) return `the payload of signal "${name}" ${tooBig}`;
  const problem = schemaProblem(declared[name]!.schema, payload);
  return problem ? `the payload of signal "${name}" does not match its schema: ${problem}` : undefined;
}
