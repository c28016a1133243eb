/**
 * CRM and compliance: create a customer account, screen it, assign a reviewer,
 * activate or close it.
 *
 * Deterministic simulation (no CRM): the account id follows from the e-mail address;
 * screening rates a customer from country and company (sanctioned countries are
 * high risk, customers without a company or outside the EEA are medium risk); an
 * e-mail address already `taken@…` raises Conflict.
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableId, stableInt } from './simulation.js';

const EEA = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
const SANCTIONED = ['KP', 'IR', 'SY', 'CU'];
const REVIEWERS = [
  { reviewer: 'Amara Okafor', email: 'amara.okafor@compliance.example.com' },
  { reviewer: 'Jonas Lindqvist', email: 'jonas.lindqvist@compliance.example.com' },
  { reviewer: 'Mei Tanaka', email: 'mei.tanaka@compliance.example.com' },
];

export const createAccount = defineActivity({
  name: 'crm.createAccount',
  description: 'Creates a customer account in the pending state. Idempotent per e-mail address.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'name', 'plan'],
    properties: {
      email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$' },
      name: { type: 'string', minLength: 1 },
      company: { type: 'string' },
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
      plan: { enum: ['trial', 'business', 'enterprise'] },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'status'],
    properties: { accountId: { type: 'string' }, status: { const: 'pending' } },
  } as const,
  async run({ email }) {
    if (email.startsWith('taken@')) throw new WorkflowError('Conflict', `an account for ${email} already exists`, { nonRetryable: true });
    return { accountId: stableId('acct', email.toLowerCase()), status: 'pending' as const };
  },
});

export const screen = defineActivity({
  name: 'crm.screen',
  description: 'Know-your-customer screening: rates the risk of a new customer.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'name', 'country'],
    properties: {
      accountId: { type: 'string' },
      name: { type: 'string' },
      company: { type: 'string' },
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['risk', 'reasons'],
    properties: {
      risk: { enum: ['low', 'medium', 'high'] },
      reasons: { type: 'array', items: { type: 'string' } },
    },
  } as const,
  defaults: { timeout: '2m' },
  async run({ company, country }) {
    if (SANCTIONED.includes(country)) return { risk: 'high' as const, reasons: [`country ${country} is under sanctions`] };
    const reasons: string[] = [];
    if (!company) reasons.push('no company given');
    if (!EEA.includes(country)) reasons.push(`country ${country} is outside the EEA`);
    return { risk: reasons.length > 0 ? ('medium' as const) : ('low' as const), reasons };
  },
});

export const assignReviewer = defineActivity({
  name: 'crm.assignReviewer',
  description: 'Puts an account in the compliance review queue and names the reviewer.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'risk'],
    properties: { accountId: { type: 'string' }, risk: { enum: ['low', 'medium', 'high'] } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['reviewer', 'email', 'queue'],
    properties: { reviewer: { type: 'string' }, email: { type: 'string' }, queue: { type: 'string' } },
  } as const,
  async run({ accountId, risk }) {
    const pick = REVIEWERS[stableInt(accountId, 0, REVIEWERS.length - 1)]!;
    return { ...pick, queue: risk === 'high' ? 'enhanced-due-diligence' : 'standard-review' };
  },
});

export const activateAccount = defineActivity({
  name: 'crm.activateAccount',
  description: 'Activates a pending account.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'approvedBy'],
    properties: { accountId: { type: 'string' }, approvedBy: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'status'],
    properties: { accountId: { type: 'string' }, status: { const: 'active' } },
  } as const,
  async run({ accountId }) {
    return { accountId, status: 'active' as const };
  },
});

export const closeAccount = defineActivity({
  name: 'crm.closeAccount',
  description: 'Closes an account that was rejected or never approved.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'reason'],
    properties: { accountId: { type: 'string' }, reason: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['accountId', 'status'],
    properties: { accountId: { type: 'string' }, status: { const: 'closed' } },
  } as const,
  async run({ accountId }) {
    return { accountId, status: 'closed' as const };
  },
});
