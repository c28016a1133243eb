/**
 * Payments: charge a card and refund a charge.
 *
 * Deterministic simulation (no payment provider): the outcome follows from the input.
 * - a card number ending in 0002 is declined (CardDeclined, never retried);
 * - a card number ending in 9995 has insufficient funds (InsufficientFunds, never retried);
 * - a card number ending in 0119 fails with a provider outage on the first two attempts
 *   (Transient), then succeeds — handy to watch retries;
 * - every other card succeeds. Ids are derived from the idempotency key, so a retried
 *   charge returns the same chargeId.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableId } from './simulation.js';

export const charge = defineActivity({
  name: 'payments.charge',
  description: 'Charges a card. Idempotent per idempotencyKey.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['customerId', 'amount', 'currency', 'cardNumber', 'idempotencyKey'],
    properties: {
      customerId: { type: 'string', minLength: 1 },
      amount: { type: 'number', exclusiveMinimum: 0, description: 'Amount in major units, e.g. 19.99.' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. EUR.' },
      cardNumber: { type: 'string', pattern: '^[0-9]{12,19}$' },
      idempotencyKey: { type: 'string', minLength: 1, description: 'Same key, same charge: retries never charge twice.' },
      description: { type: 'string' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['chargeId', 'amount', 'currency', 'last4'],
    properties: {
      chargeId: { type: 'string' },
      amount: { type: 'number' },
      currency: { type: 'string' },
      last4: { type: 'string' },
    },
  } as const,
  defaults: {
    timeout: '30s',
    retry: { maxAttempts: 4, initialInterval: '2s', backoff: 2, maxInterval: '30s', nonRetryable: ['CardDeclined', 'InsufficientFunds'] },
  },
  async run(input, context) {
    const last4 = input.cardNumber.slice(-4);
    if (last4 === '0002') {
      throw new WorkflowError('CardDeclined', `card ending ${last4} was declined`, { nonRetryable: true, details: { last4 } });
    }
    if (last4 === '9995') {
      throw new WorkflowError('InsufficientFunds', `card ending ${last4} has insufficient funds for ${input.amount} ${input.currency}`, {
        nonRetryable: true,
        details: { last4, amount: input.amount },
      });
    }
    if (last4 === '0119' && context.attempt <= 2) {
      throw new WorkflowError('Transient', `payment provider unavailable (attempt ${context.attempt})`);
    }
    return {
      chargeId: stableId('ch', input.idempotencyKey),
      amount: input.amount,
      currency: input.currency,
      last4,
    };
  },
});

export const refund = defineActivity({
  name: 'payments.refund',
  description: 'Refunds (part of) a charge. Refunding the same charge twice returns the same refund.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['chargeId', 'amount'],
    properties: {
      chargeId: { type: 'string', pattern: '^ch_' },
      amount: { type: 'number', exclusiveMinimum: 0 },
      reason: { type: 'string' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['refundId', 'chargeId', 'amount'],
    properties: {
      refundId: { type: 'string' },
      chargeId: { type: 'string' },
      amount: { type: 'number' },
    },
  } as const,
  defaults: { timeout: '30s', retry: { maxAttempts: 10, initialInterval: '5s', maxInterval: '5m' } },
  async run({ chargeId, amount }) {
    return { refundId: stableId('re', chargeId), chargeId, amount };
  },
});
