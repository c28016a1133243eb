/**
 * A semantic diff of two versions of a workflow definition: what a reviewer needs
 * to know, not which lines moved. Steps are matched by id (ids are unique in a
 * file), so a step that was edited and moved shows as both, and a rename shows as
 * one step removed and one added.
 */
import type { Json } from '../../interpreter/model.js';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved';

/** The part of the definition a change is in. */
export type ChangeArea = 'workflow' | 'input' | 'output' | 'signal' | 'query' | 'step';

export interface Change {
  area: ChangeArea;
  kind: ChangeKind;
  /**
   * Where, as a path into the definition: in the new version, or in the old one for
   * something removed. `input.properties.amount.minimum`, `steps[1].parallel[0].steps[0].with.amount`.
   */
  path: string;
  /** The step changed, for step changes. */
  stepId?: string;
  /** For a changed step: the key that changed, within the step (`with.amount`, `retry.maxAttempts`). */
  key?: string;
  /** The old value (absent when added). For a moved step: where it was. */
  before?: Json;
  /** The new value (absent when removed). For a moved step: where it is now. */
  after?: Json;
  /**
   * The change can make something that worked fail: an input or signal payload
   * accepted before is refused, a signal or query callers use is gone, the workflow
   * is known by another name.
   */
  breaking: boolean;
  /** One sentence for people: "`coupon` is now a required input property". */
  summary: string;
}

export interface DefinitionDiff {
  /** The workflow's name in the old and in the new version. */
  before: { name: string };
  after: { name: string };
  changes: Change[];
}

export function breakingCount(diff: DefinitionDiff): number {
  return diff.changes.filter((c) => c.breaking).length;
}
