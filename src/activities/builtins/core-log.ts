import { defineActivity } from '../types.js';

export const coreLog = defineActivity({
  name: 'core.log',
  description: 'Writes a message to the run log.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['message'],
    properties: {
      message: { type: 'string', description: 'The text to log.' },
      level: { enum: ['debug', 'info', 'warn', 'error'], description: 'Severity (default info).' },
      data: { description: 'Any JSON value to log with the message.' },
    },
  } as const,
  output: { type: 'null' } as const,
  async run({ message, level = 'info', data }, context) {
    context.log(level, message, data);
    return null;
  },
});
