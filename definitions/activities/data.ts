/**
 * Data sync: page through a source system, upsert records into a target, keep a
 * checkpoint, and hold a lock so two syncs of one target never overlap.
 *
 * Deterministic simulation (no database): every source holds 25 contacts (a source
 * whose name contains `empty` holds none), so the default page size of 10 gives three
 * pages. Cursors are `offset:<n>`. Every fourth contact is inactive. A source whose
 * name contains `flaky` fails the first attempt of every page with Transient. Whether
 * an upsert creates, updates or leaves a record unchanged follows from target and id.
 * A target whose name contains `busy` is locked by another sync (Conflict).
 */
import jsonLogic from 'json-logic-js';
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableHash, stableId, addDays } from './simulation.js';

const RECORDS_PER_SOURCE = 25;

function contact(source: string, n: number) {
  return {
    id: `${source}-${String(n + 1).padStart(4, '0')}`,
    email: `contact${n + 1}@${source}.example.com`,
    name: `Contact ${n + 1}`,
    status: n % 4 === 3 ? ('inactive' as const) : ('active' as const),
    updatedAt: addDays('2026-01-01', n * 3),
  };
}

export const fetchPage = defineActivity({
  name: 'data.fetchPage',
  description: 'Reads one page of contacts from a source system.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['source', 'cursor', 'limit'],
    properties: {
      source: { type: 'string', minLength: 1 },
      cursor: { type: ['string', 'null'], description: 'null for the first page, then the nextCursor of the previous page.' },
      limit: { type: 'integer', minimum: 1, maximum: 500 },
      filter: { type: 'object', description: 'A JSON Logic rule evaluated by the source against each record; only matches are returned.' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['records', 'nextCursor'],
    properties: {
      records: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'email', 'name', 'status', 'updatedAt'],
          properties: {
            id: { type: 'string' },
            email: { type: 'string' },
            name: { type: 'string' },
            status: { enum: ['active', 'inactive'] },
            updatedAt: { type: 'string', format: 'date' },
          },
        },
      },
      nextCursor: { type: ['string', 'null'], description: 'null on the last page.' },
    },
  } as const,
  defaults: { timeout: '30s' },
  async run({ source, cursor, limit, filter }, context) {
    let offset = 0;
    if (cursor !== null) {
      const match = /^offset:([0-9]+)$/.exec(cursor);
      if (!match) throw new WorkflowError('BadRequest', `invalid cursor ${JSON.stringify(cursor)}`, { nonRetryable: true });
      offset = Number(match[1]);
    }
    if (source.includes('flaky') && context.attempt === 1) {
      throw new WorkflowError('Transient', `${source}: connection reset while reading offset ${offset}`);
    }
    context.heartbeat({ offset });
    const total = source.includes('empty') ? 0 : RECORDS_PER_SOURCE;
    const end = Math.min(offset + limit, total);
    const records = [];
    for (let n = offset; n < end; n++) {
      const record = contact(source, n);
      if (filter === undefined || jsonLogic.truthy(jsonLogic.apply(filter as jsonLogic.RulesLogic, record))) records.push(record);
    }
    return { records, nextCursor: end < total ? `offset:${end}` : null };
  },
});

export const upsert = defineActivity({
  name: 'data.upsert',
  description: 'Writes one record into the target, keyed by its id.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['target', 'record', 'sequence'],
    properties: {
      target: { type: 'string', minLength: 1 },
      record: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      sequence: { type: 'integer', minimum: 0, description: 'Position of the record in this sync, for the audit log.' },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'action'],
    properties: { id: { type: 'string' }, action: { enum: ['created', 'updated', 'unchanged'] } },
  } as const,
  defaults: { timeout: '10s' },
  async run({ target, record }) {
    const actions = ['created', 'updated', 'unchanged'] as const;
    return { id: record.id, action: actions[stableHash(`${target}|${record.id}`) % 3]! };
  },
});

export const acquireLock = defineActivity({
  name: 'data.acquireLock',
  description: 'Takes the named lock so no other sync writes the same target at the same time.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'owner'],
    properties: { name: { type: 'string' }, owner: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['lockId', 'name'],
    properties: { lockId: { type: 'string' }, name: { type: 'string' } },
  } as const,
  async run({ name, owner }) {
    if (name.includes('busy')) throw new WorkflowError('Conflict', `lock ${name} is held by another sync`, { nonRetryable: true });
    return { lockId: stableId('lock', `${name}|${owner}`), name };
  },
});

export const releaseLock = defineActivity({
  name: 'data.releaseLock',
  description: 'Releases a lock taken with data.acquireLock. Releasing twice is harmless.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['lockId'],
    properties: { lockId: { type: 'string', pattern: '^lock_' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['released'],
    properties: { released: { type: 'boolean' } },
  } as const,
  async run() {
    return { released: true };
  },
});

export const saveCheckpoint = defineActivity({
  name: 'data.saveCheckpoint',
  description: 'Remembers how far a sync got, so the next sync of the same pair can start there.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['source', 'target', 'cursor'],
    properties: { source: { type: 'string' }, target: { type: 'string' }, cursor: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['checkpointId'],
    properties: { checkpointId: { type: 'string' } },
  } as const,
  async run({ source, target, cursor }) {
    return { checkpointId: stableId('cp', `${source}|${target}|${cursor}`) };
  },
});
