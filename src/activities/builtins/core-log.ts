import { WorkflowError } from '../../../interpreter/errors.js';
import { defineActivity } from '../types.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function invalidInput(message: string): WorkflowError {
  return new WorkflowError('InvalidInput', `core.log: ${message}`, { nonRetryable: true });
}

/** docs/dsl.md#activities: writes `message` (and `data`) to the run log at `level` (default info); returns null. */
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
  async run(input, context) {
    // The engine validates input against the schema first; this guards direct calls.
    if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalidInput('input must be an object with a `message`');
    const { message, level = 'info', data } = input;
    if (typeof message !== 'string') throw invalidInput('`message` must be a string');
    if (!(LOG_LEVELS as readonly unknown[]).includes(level)) {
      throw invalidInput(`\`level\` must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level)}`);
    }
    if (data === undefined) context.log(level, message);
    else context.log(level, message, data);
    return null;
  },
});
