/** Revo's public API for code: typed activities and the errors they raise. */
export { defineActivity } from './activities/types.js';
export type { ActivityContext, ActivityDefinition, ActivitySpec, Catalog } from './activities/types.js';
export { WorkflowError } from '../interpreter/errors.js';
export type * from '../interpreter/model.js';
