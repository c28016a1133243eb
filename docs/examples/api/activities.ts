import { defineActivity, WorkflowError } from 'revo';

/** Prices an order (a stand-in for a call to your pricing service). */
export const price = defineActivity({
  name: 'shop.price',
  input: { type: 'object', required: ['sku', 'quantity'], properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } } },
  output: { type: 'number' },
  run: async ({ sku, quantity }) => {
    if (sku === 'unknown') throw new WorkflowError('NotFound', `no price for ${sku}`);
    return quantity * 12.5;
  },
});
