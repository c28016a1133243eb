import type { Check } from '../check.js';
import { childWorkflow } from './child-workflow.js';
import { parallelConflict } from './parallel-conflict.js';
import { undefinedVariable } from './undefined-variable.js';
import { unreachableStep } from './unreachable-step.js';

/** Every semantic check, run in this order on each schema-valid definition. */
export const CHECKS: readonly Check[] = [
  undefinedVariable,
  parallelConflict,
  unreachableStep,
  childWorkflow,
];
