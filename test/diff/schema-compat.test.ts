import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../interpreter/model.js';
import { schemaChanges } from '../../src/diff/schema-compat.js';

/** `at: what` of each change, with `!` in front of the narrowing (breaking) ones. */
function compat(before: JsonSchema | undefined, after: JsonSchema | undefined): string[] {
  return schemaChanges(before, after).map((c) => `${c.narrows ? '! ' : ''}${c.at === '' ? '(value)' : c.at}: ${c.what}`);
}

type SchemaObject = Exclude<JsonSchema, boolean>;

const ORDER: SchemaObject = {
  type: 'object',
  required: ['orderId'],
  properties: {
    orderId: { type: 'string' },
    amount: { type: 'number', minimum: 0, maximum: 1000 },
    channel: { enum: ['web', 'app'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
};

/** ORDER with one property's schema replaced (or removed, with `undefined`). */
function withProperty(name: string, schema: JsonSchema | undefined): SchemaObject {
  const properties = { ...(ORDER.properties as SchemaObject) };
  if (schema === undefined) delete properties[name];
  else properties[name] = schema;
  return { ...ORDER, properties };
}

describe('input schema changes that refuse inputs accepted before are breaking', () => {
  it('a new required property', () => {
    expect(compat(ORDER, { ...ORDER, required: ['orderId', 'coupon'] })).toEqual(['! coupon: now required']);
  });

  it('a property removed while additional properties are not allowed', () => {
    const closed = { ...ORDER, additionalProperties: false };
    expect(compat(closed, { ...withProperty('tags', undefined), additionalProperties: false })).toEqual(['! tags: removed, and inputs that have it are now refused']);
  });

  it('additional properties no longer allowed', () => {
    expect(compat(ORDER, { ...ORDER, additionalProperties: false })).toEqual(['! (value): properties that are not listed are no longer accepted']);
  });

  it('a type narrowed, changed or added', () => {
    expect(compat(ORDER, withProperty('amount', { type: 'integer', minimum: 0, maximum: 1000 }))).toEqual(['! amount: type narrowed from number to integer']);
    expect(compat(ORDER, withProperty('orderId', { type: 'number' }))).toEqual(['! orderId: type changed from string to number']);
    expect(compat(ORDER, withProperty('channel', { type: 'string', enum: ['web', 'app'] }))).toEqual(['! channel: type restricted to string']);
  });

  it('a new or raised minimum, a new or lowered maximum, longer minimum lengths', () => {
    expect(compat(ORDER, withProperty('amount', { type: 'number', minimum: 1, maximum: 1000 }))).toEqual(['! amount: minimum raised from 0 to 1']);
    expect(compat(ORDER, withProperty('amount', { type: 'number', minimum: 0, maximum: 500 }))).toEqual(['! amount: maximum lowered from 1000 to 500']);
    expect(compat(ORDER, withProperty('orderId', { type: 'string', minLength: 3 }))).toEqual(['! orderId: minLength 3 added']);
    expect(compat(ORDER, withProperty('amount', { type: 'number', minimum: 0, maximum: 1000, exclusiveMaximum: 999 }))).toEqual(['! amount: exclusiveMaximum 999 added']);
  });

  it('an enum that loses values, or a new enum or const', () => {
    expect(compat(ORDER, withProperty('channel', { enum: ['web'] }))).toEqual(['! channel: no longer allows `"app"`']);
    expect(compat(ORDER, withProperty('orderId', { type: 'string', enum: ['a', 'b'] }))).toEqual(['! orderId: restricted to `"a"`, `"b"`']);
    expect(compat(ORDER, withProperty('orderId', { type: 'string', const: 'x' }))).toEqual(['! orderId: const `"x"` added']);
  });

  it('a pattern or format added or changed', () => {
    expect(compat(ORDER, withProperty('orderId', { type: 'string', pattern: '^ord_' }))).toEqual(['! orderId: pattern `"^ord_"` added']);
    expect(compat(withProperty('orderId', { type: 'string', pattern: '^a' }), withProperty('orderId', { type: 'string', pattern: '^b' }))).toEqual([
      '! orderId: pattern changed from `"^a"` to `"^b"`',
    ]);
    expect(compat(ORDER, withProperty('orderId', { type: 'string', format: 'uuid' }))).toEqual(['! orderId: format `"uuid"` added']);
  });

  it('narrowings inside array items and nested objects', () => {
    expect(compat(ORDER, withProperty('tags', { type: 'array', items: { type: 'string', maxLength: 20 }, uniqueItems: true }))).toEqual([
      '! tags[]: maxLength 20 added',
      '! tags: items must now be unique',
    ]);
    const nested = (required: string[]): JsonSchema => ({ type: 'object', properties: { customer: { type: 'object', required, properties: { id: { type: 'string' } } } } });
    expect(compat(nested([]), nested(['id']))).toEqual(['! customer.id: now required']);
  });

  it('a multipleOf that is not a divisor of the old one', () => {
    expect(compat(withProperty('amount', { type: 'number', multipleOf: 5 }), withProperty('amount', { type: 'number', multipleOf: 10 }))).toEqual(['! amount: multipleOf changed from 5 to 10']);
    expect(compat(withProperty('amount', { type: 'number', multipleOf: 10 }), withProperty('amount', { type: 'number', multipleOf: 5 }))).toEqual(['amount: multipleOf changed from 10 to 5']);
  });

  it('a schema where there was none, and a schema that refuses everything', () => {
    expect(compat(undefined, { type: 'object' })).toEqual(['! (value): type restricted to object']);
    expect(compat(ORDER, false)).toEqual(['! (value): now refuses every value']);
  });

  it('composition keywords it cannot compare count as breaking, to be checked by hand', () => {
    expect(compat(withProperty('orderId', { anyOf: [{ type: 'string' }, { type: 'number' }] }), withProperty('orderId', { anyOf: [{ type: 'string' }] }))).toEqual([
      '! orderId: `anyOf` changed; whether every value accepted before still is cannot be worked out, check by hand',
    ]);
  });
});

describe('input schema changes that accept more are not breaking', () => {
  it('a widening of each kind', () => {
    const widened = {
      type: 'object',
      required: [],
      properties: {
        orderId: { type: ['string', 'number'] },
        amount: { type: 'number', maximum: 5000 },
        channel: { enum: ['web', 'app', 'marketplace'] },
        tags: { type: 'array' },
      },
    } as JsonSchema;
    expect(compat(ORDER, widened)).toEqual([
      'orderId: no longer required',
      'orderId: type widened from string to string or number',
      'amount: minimum removed (was `0`)',
      'amount: maximum raised from 1000 to 5000',
      'channel: now also allows `"marketplace"`',
      'tags[]: type no longer restricted',
    ]);
  });

  it('integers are numbers: integer to number widens', () => {
    expect(compat({ type: 'integer' }, { type: 'number' })).toEqual(['(value): type widened from integer to number']);
  });

  it('a property added (where unlisted ones were refused, or allowed), and additional properties allowed again', () => {
    const closed: SchemaObject = { ...ORDER, additionalProperties: false };
    expect(compat(closed, { ...withProperty('note', { type: 'string' }), additionalProperties: false })).toEqual(['note: added (refused before)']);
    expect(compat(ORDER, withProperty('note', { type: 'string' }))).toEqual(['note: added']);
    expect(compat(closed, ORDER)).toEqual(['(value): properties that are not listed are now accepted']);
  });

  it('annotations: descriptions, titles and defaults', () => {
    expect(compat(withProperty('orderId', { type: 'string' }), withProperty('orderId', { type: 'string', description: 'the id', default: 'x' }))).toEqual([
      'orderId: description added',
      'orderId: default added',
    ]);
  });

  it('nothing when the schemas are the same, keys in any order', () => {
    expect(compat({ type: 'object', required: ['a'] }, { required: ['a'], type: 'object' })).toEqual([]);
    expect(compat(undefined, true)).toEqual([]);
  });
});
