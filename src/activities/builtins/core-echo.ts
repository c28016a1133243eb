import type { ActivityDefinition } from '../types.js';

/** docs/dsl.md#activities: returns its input unchanged, any JSON value (a call without `with` echoes null). */
export const coreEcho: ActivityDefinition<unknown, unknown> = {
  name: 'core.echo',
  description: 'Returns its input unchanged.',
  input: true,
  output: true,
  async run(input) {
    return input === undefined ? null : input;
  },
};
