/**
 * What a test file may refer to in the workflow under test (and its children): step
 * ids, the activity each call step calls, the signals each `wait` waits for. Used to
 * route mocks, to send signals when a wait starts, and to catch typos in test files.
 */
import type { WorkflowBundle } from '../../interpreter/bundle.js';
import type { CallStep, WaitStep } from '../../interpreter/model.js';
import { walkSteps } from '../../interpreter/walk.js';

export interface WorkflowIndex {
  /** Every step id, children's included. */
  stepIds: Set<string>;
  /** Call step id → the activity it calls. */
  callSteps: Map<string, string>;
  /** Every activity some call step calls. */
  activities: Set<string>;
  /** Wait step id → its signal, in the workflow under test itself (signals go to it, not to its children). */
  waits: Map<string, string>;
  /** Signals the workflow under test declares. */
  signals: Set<string>;
}

export function indexWorkflow(bundle: WorkflowBundle): WorkflowIndex {
  const index: WorkflowIndex = { stepIds: new Set(), callSteps: new Map(), activities: new Set(), waits: new Map(), signals: new Set(Object.keys(bundle.definition.signals ?? {})) };
  const seen = new Set<WorkflowBundle>();
  const visit = (current: WorkflowBundle, isRoot: boolean): void => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const { step } of walkSteps(current.definition.steps)) {
      index.stepIds.add(step.id);
      const call = (step as CallStep).call;
      if (call !== undefined) {
        index.callSteps.set(step.id, call);
        index.activities.add(call);
      }
      const wait = (step as WaitStep).wait;
      if (isRoot && wait !== undefined) index.waits.set(step.id, wait.signal);
    }
    for (const child of Object.values(current.children)) visit(child, false);
  };
  visit(bundle, true);
  return index;
}

/** The step id in a step key: `reviewLoop#2/remind` → `remind`, `charge~/refund` → `refund`. */
export function idOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1).replace(/(\[\d+\]|#\d+|~)+$/, '');
}
