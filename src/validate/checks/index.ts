import type { Check } from '../check.js';

/** Every semantic check, run in this order on each schema-valid definition. */
export const CHECKS: readonly Check[] = [];
