/**
 * The benchmark's workflow code: the `revo` workflow exactly as workers run it, and the
 * hand-written baseline, in one bundle run by one worker, so both get the same sandbox,
 * task queue, activities and server.
 */
export { revo } from '../src/sandboxed/workflow/workflow.js';
export { handwritten20, handwrittenSteps } from './temporal-handwritten-workflow.js';
