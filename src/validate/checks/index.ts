import type { Check } from '../check.js';
import { activityInput } from './activity-input.js';
import { cron } from './cron.js';
import { definitionSize } from './definition-size.js';
import { duplicateId } from './duplicate-id.js';
import { duplicateName } from './duplicate-name.js';
import { duration } from './duration.js';
import { errorType } from './error-type.js';
import { forbiddenName } from './forbidden-name.js';
import { forbiddenSegment } from './forbidden-segment.js';
import { jsonSchema } from './json-schema.js';
import { literalExpression } from './literal-expression.js';
import { reservedName } from './reserved-name.js';
import { retryPolicy } from './retry-policy.js';
import { returnPlacement } from './return-placement.js';
import { scheduleInput } from './schedule-input.js';
import { stateQuery } from './state-query.js';
import { undeclaredSignal } from './undeclared-signal.js';
import { unknownActivity } from './unknown-activity.js';
import { unknownOperation } from './unknown-operation.js';
import { unusedSignal } from './unused-signal.js';
import { childWorkflow } from './child-workflow.js';
import { parallelConflict } from './parallel-conflict.js';
import { priority } from './priority.js';
import { taskQueue } from './task-queue.js';
import { undefinedVariable } from './undefined-variable.js';
import { unreachableStep } from './unreachable-step.js';

/** Every semantic check, run in this order on each schema-valid definition. */
export const CHECKS: readonly Check[] = [
  // Structure and names.
  duplicateId,
  duplicateName,
  returnPlacement,
  stateQuery,
  reservedName,
  forbiddenName,
  // Activities.
  unknownActivity,
  activityInput,
  taskQueue,
  // Expressions.
  unknownOperation,
  literalExpression,
  forbiddenSegment,
  // Flow analysis.
  undefinedVariable,
  parallelConflict,
  unreachableStep,
  childWorkflow,
  // Signals.
  undeclaredSignal,
  unusedSignal,
  // Durations, schedules, retries, priorities.
  duration,
  cron,
  scheduleInput,
  retryPolicy,
  errorType,
  priority,
  // Embedded JSON Schemas and size.
  jsonSchema,
  definitionSize,
];
