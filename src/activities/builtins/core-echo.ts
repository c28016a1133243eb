import type { ActivityDefinition } from '../types.js';

export const coreEcho: ActivityDefinition<unknown, unknown> = {
  name: 'core.echo',
  description: 'Returns its input unchanged.',
  input: true,
  output: true,
  async run(input) {
    return input;
  },
};
