/**
 * The typed activities of the example workflows in definitions/, grouped by domain.
 * Every one is a deterministic simulation: no outside service, no clock, no
 * randomness. Load them with `--activities definitions/activities/index.ts`.
 */
export * from './agent.js';
export * from './crm.js';
export * from './data.js';
export * from './inventory.js';
export * from './notifications.js';
export * from './payments.js';
export * from './reports.js';
export * from './shipping.js';
export * from './subscriptions.js';
