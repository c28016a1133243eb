/**
 * The Temporal benchmarks' one activity, as a module `revo worker --activities` loads:
 * returns its input. Revo and the hand-written workflows call it through the same wrapper.
 */
import { defineActivity } from '../src/activities/types.js';

export const benchStep = defineActivity({
  name: 'bench.step',
  input: { type: 'object' } as const,
  output: { type: 'object' } as const,
  async run(input) {
    return input;
  },
});
