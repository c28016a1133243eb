/**
 * Subscriptions: look up a subscription, extend its paid period, undo an extension,
 * mark it past due.
 *
 * Deterministic simulation (no billing system): everything follows from the id.
 * - an id containing `cancelled` is a cancelled subscription;
 * - an id containing `declined` is paid with a card that is declined (ends in 0002);
 * - an id containing `locked` is being edited elsewhere: extending it raises Conflict;
 * - an id containing `bounce` belongs to a customer whose mailbox bounces.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { addMonths, stableInt } from './simulation.js';

const PLANS = [
  { plan: 'starter', price: 9 },
  { plan: 'team', price: 29 },
  { plan: 'business', price: 99 },
] as const;

export const getSubscription = defineActivity({
  name: 'subscriptions.get',
  description: 'Reads a subscription: customer, plan, price, payment card and current period end.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId'],
    properties: { subscriptionId: { type: 'string', pattern: '^sub_' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'customerId', 'email', 'status', 'plan', 'price', 'currency', 'cardNumber', 'periodEnd'],
    properties: {
      subscriptionId: { type: 'string' },
      customerId: { type: 'string' },
      email: { type: 'string' },
      status: { enum: ['active', 'past_due', 'cancelled'] },
      plan: { type: 'string' },
      price: { type: 'number', description: 'Price of one month.' },
      currency: { type: 'string' },
      cardNumber: { type: 'string' },
      periodEnd: { type: 'string', format: 'date' },
    },
  } as const,
  defaults: { timeout: '5s' },
  async run({ subscriptionId }) {
    const { plan, price } = PLANS[stableInt(subscriptionId, 0, PLANS.length - 1)]!;
    const customer = subscriptionId.replace(/^sub_/, '');
    return {
      subscriptionId,
      customerId: `cus_${customer}`,
      email: subscriptionId.includes('bounce') ? `${customer}@bounce.test` : `${customer}@example.com`,
      status: subscriptionId.includes('cancelled') ? ('cancelled' as const) : ('active' as const),
      plan,
      price,
      currency: 'EUR',
      cardNumber: subscriptionId.includes('declined') ? '4000000000000002' : '4242424242424242',
      periodEnd: `2026-12-${String(stableInt(subscriptionId, 1, 28)).padStart(2, '0')}`,
    };
  },
});

export const extendSubscription = defineActivity({
  name: 'subscriptions.extend',
  description: 'Moves the end of the paid period forward by whole months. Idempotent: it extends from the period end it is given.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'currentPeriodEnd', 'months'],
    properties: {
      subscriptionId: { type: 'string', pattern: '^sub_' },
      currentPeriodEnd: { type: 'string', format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
      months: { type: 'integer', minimum: 1, maximum: 36 },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'previousPeriodEnd', 'periodEnd'],
    properties: {
      subscriptionId: { type: 'string' },
      previousPeriodEnd: { type: 'string', format: 'date' },
      periodEnd: { type: 'string', format: 'date' },
    },
  } as const,
  async run({ subscriptionId, currentPeriodEnd, months }) {
    if (subscriptionId.includes('locked')) {
      throw new WorkflowError('Conflict', `subscription ${subscriptionId} is being changed by another process`, { nonRetryable: true });
    }
    return { subscriptionId, previousPeriodEnd: currentPeriodEnd, periodEnd: addMonths(currentPeriodEnd, months) };
  },
});

export const revertExtension = defineActivity({
  name: 'subscriptions.revertExtension',
  description: 'Compensation for subscriptions.extend: puts the period end back.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'periodEnd'],
    properties: {
      subscriptionId: { type: 'string', pattern: '^sub_' },
      periodEnd: { type: 'string', format: 'date', description: 'The period end to restore.' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'periodEnd'],
    properties: { subscriptionId: { type: 'string' }, periodEnd: { type: 'string', format: 'date' } },
  } as const,
  async run({ subscriptionId, periodEnd }) {
    return { subscriptionId, periodEnd };
  },
});

export const markPastDue = defineActivity({
  name: 'subscriptions.markPastDue',
  description: 'Flags a subscription whose renewal payment failed; the customer keeps access during the grace period.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'reason'],
    properties: {
      subscriptionId: { type: 'string', pattern: '^sub_' },
      reason: { type: 'string' },
      graceDays: { type: 'integer', minimum: 0, maximum: 30 },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['subscriptionId', 'status', 'graceDays'],
    properties: {
      subscriptionId: { type: 'string' },
      status: { const: 'past_due' },
      graceDays: { type: 'integer' },
    },
  } as const,
  async run({ subscriptionId, graceDays = 7 }) {
    return { subscriptionId, status: 'past_due' as const, graceDays };
  },
});
