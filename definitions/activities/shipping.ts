/**
 * Shipping: quote a carrier, book a label, cancel it, schedule a pickup.
 *
 * Deterministic simulation (no carrier API): prices and delivery times follow from
 * carrier, destination and weight. Carriers serve a fixed list of countries (others:
 * NoService, never retried); `swiftpost` answers RateLimited on the first attempt of
 * every booking; a postal code of `00000` cannot be booked (AddressRejected).
 */
import { WorkflowError } from '../../interpreter/errors.js';
import { defineActivity } from '../../src/activities/types.js';
import { stableHash, stableId, stableInt } from './simulation.js';

const CARRIERS = {
  parcelco: { base: 4.9, perKg: 1.2, days: 3, countries: ['NL', 'BE', 'DE', 'FR', 'LU', 'AT', 'DK'] },
  swiftpost: { base: 6.5, perKg: 0.8, days: 2, countries: ['NL', 'BE', 'DE', 'FR', 'IE', 'GB', 'ES', 'IT', 'US'] },
} as const;

const address = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'line1', 'city', 'postalCode', 'country'],
  properties: {
    name: { type: 'string' },
    line1: { type: 'string' },
    line2: { type: 'string' },
    city: { type: 'string' },
    postalCode: { type: 'string' },
    country: { type: 'string', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2.' },
  },
} as const;

/** Simulated parcel weight: 150–900 g per unit, fixed per SKU. */
function weightKg(items: readonly { sku: string; quantity: number }[]): number {
  const grams = items.reduce((sum, line) => sum + line.quantity * stableInt(line.sku, 150, 900), 0);
  return Math.round(grams / 10) / 100;
}

export const quote = defineActivity({
  name: 'shipping.quote',
  description: "Asks one carrier for a price and delivery estimate.",
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['carrier', 'fromWarehouse', 'address', 'items'],
    properties: {
      carrier: { enum: ['parcelco', 'swiftpost'] },
      fromWarehouse: { type: 'string' },
      address,
      items: {
        type: 'array',
        minItems: 1,
        items: { type: 'object', required: ['sku', 'quantity'], properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } },
      },
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['carrier', 'service', 'price', 'currency', 'estimatedDays', 'weightKg'],
    properties: {
      carrier: { type: 'string' },
      service: { type: 'string' },
      price: { type: 'number' },
      currency: { const: 'EUR' },
      estimatedDays: { type: 'integer' },
      weightKg: { type: 'number' },
    },
  } as const,
  defaults: { timeout: '10s' },
  async run({ carrier, fromWarehouse, address: to, items }) {
    const spec = CARRIERS[carrier];
    if (!(spec.countries as readonly string[]).includes(to.country)) {
      throw new WorkflowError('NoService', `${carrier} does not deliver to ${to.country}`, { nonRetryable: true });
    }
    const kg = weightKg(items);
    // A small, stable surcharge per destination postal code and warehouse (0–1.99 EUR).
    const surcharge = (stableHash(`${carrier}|${fromWarehouse}|${to.postalCode}`) % 200) / 100;
    const price = Math.round((spec.base + spec.perKg * kg + surcharge) * 100) / 100;
    return { carrier, service: kg > 5 ? 'freight' : 'parcel', price, currency: 'EUR' as const, estimatedDays: spec.days, weightKg: kg };
  },
});

export const book = defineActivity({
  name: 'shipping.book',
  description: 'Books a shipping label with the chosen carrier. Idempotent per orderId and carrier.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['carrier', 'service', 'orderId', 'fromWarehouse', 'address'],
    properties: {
      carrier: { enum: ['parcelco', 'swiftpost'] },
      service: { type: 'string' },
      orderId: { type: 'string' },
      fromWarehouse: { type: 'string' },
      address,
    },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['labelId', 'trackingNumber', 'carrier'],
    properties: { labelId: { type: 'string' }, trackingNumber: { type: 'string' }, carrier: { type: 'string' } },
  } as const,
  defaults: { timeout: '1m', retry: { maxAttempts: 5, initialInterval: '2s', maxInterval: '1m' } },
  async run({ carrier, orderId, address: to }, context) {
    if (to.postalCode === '00000') {
      throw new WorkflowError('AddressRejected', `${carrier} rejected postal code ${to.postalCode}`, { nonRetryable: true });
    }
    if (carrier === 'swiftpost' && context.attempt === 1) {
      throw new WorkflowError('RateLimited', 'swiftpost: too many booking requests, retry later');
    }
    const labelId = stableId('lbl', `${carrier}|${orderId}`);
    return { labelId, trackingNumber: `${carrier.slice(0, 2).toUpperCase()}${stableHash(labelId) % 1_000_000_000}`, carrier };
  },
});

export const cancelLabel = defineActivity({
  name: 'shipping.cancel',
  description: 'Compensation for shipping.book: voids a label that has not been handed to the carrier.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['labelId'],
    properties: { labelId: { type: 'string', pattern: '^lbl_' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['labelId', 'cancelled'],
    properties: { labelId: { type: 'string' }, cancelled: { type: 'boolean' } },
  } as const,
  async run({ labelId }) {
    return { labelId, cancelled: true };
  },
});

export const schedulePickup = defineActivity({
  name: 'shipping.schedulePickup',
  description: 'Asks the carrier to collect a booked parcel at the warehouse.',
  input: {
    type: 'object',
    additionalProperties: false,
    required: ['labelId', 'fromWarehouse'],
    properties: { labelId: { type: 'string', pattern: '^lbl_' }, fromWarehouse: { type: 'string' } },
  } as const,
  output: {
    type: 'object',
    additionalProperties: false,
    required: ['pickupId', 'window'],
    properties: { pickupId: { type: 'string' }, window: { enum: ['morning', 'afternoon'] } },
  } as const,
  async run({ labelId, fromWarehouse }) {
    return {
      pickupId: stableId('pu', `${labelId}|${fromWarehouse}`),
      window: stableHash(labelId) % 2 === 0 ? ('morning' as const) : ('afternoon' as const),
    };
  },
});
