/**
 * Notifications: transactional e-mail.
 *
 * Deterministic simulation (nothing is sent): the message id is derived from the
 * recipient, template and idempotency data. A recipient at `@bounce.test` bounces
 * (Bounced, never retried); one at `@slow.test` fails twice with Transient first.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableId } from './simulation.js';

export const sendEmail = defineActivity({
  name: 'notifications.sendEmail',
  description: 'Sends a templated transactional e-mail.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['to', 'template'],
    properties: {
      to: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$', description: 'Recipient address.' },
      template: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'Template name, e.g. order-confirmation.' },
      data: { type: 'object', description: 'Values the template renders.' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['messageId', 'to', 'template'],
    properties: { messageId: { type: 'string' }, to: { type: 'string' }, template: { type: 'string' } },
  } as const,
  defaults: { timeout: '10s', retry: { maxAttempts: 5, initialInterval: '1s', maxInterval: '30s', nonRetryable: ['Bounced'] } },
  async run({ to, template, data }, context) {
    if (to.endsWith('@bounce.test')) {
      throw new WorkflowError('Bounced', `mailbox ${to} does not accept mail`, { nonRetryable: true, details: { to } });
    }
    if (to.endsWith('@slow.test') && context.attempt <= 2) {
      throw new WorkflowError('Transient', `mail relay busy (attempt ${context.attempt})`);
    }
    return { messageId: stableId('msg', `${to}|${template}|${JSON.stringify(data ?? {})}`), to, template };
  },
});
