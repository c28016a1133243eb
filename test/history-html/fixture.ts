/**
 * A run with something of everything a timeline shows, for the CLI: a retried call, a
 * log message, a switch decision, a loop, a signal, a caught error, a failure after
 * that with its compensations — and values that try to break out of the page.
 */
import type { Json } from '../../interpreter/model.js';

export const HOSTILE = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned=2"><!--\u2028';

/** The workflow; `note` goes into the charge's input (and so its output). */
export function orderWorkflow(note: string): string {
  return `revo: 1
name: order-fulfilment
version: "1.4.0"
description: Reserve the items, charge the card, wait for the warehouse, then ship.
signals:
  approve: { schema: { type: object } }
steps:
  - id: reserve
    call: test.ok
    with: { sku: BK-1042, qty: 2 }
    compensate: [{ id: release, call: test.ok, with: { sku: BK-1042 } }]
  - id: charge
    call: test.flaky
    with: { amount: 42, currency: EUR, note: ${JSON.stringify(note)} }
    retry: { initialInterval: 100ms }
    compensate: [{ id: refund, call: test.ok, with: { refund: 42 } }]
  - { id: note, call: core.log, with: { message: charged 42 EUR, data: { card: "**** 4242" } } }
  - id: route
    switch:
      - when: { ">": [42, 100] }
        steps: [{ id: express, set: { speed: express } }]
    default: [{ id: standard, set: { speed: standard } }]
  - id: lines
    foreach: [1, 2]
    steps: [{ id: pick, call: test.ok, with: { line: { var: item } } }]
  - { id: gate, wait: { signal: approve }, result: approval }
  - id: label
    try:
      - { id: print, call: test.broken, with: { printer: P1 } }
    catch:
      - errors: [Unavailable]
        steps: [{ id: handwrite, set: { label: handwritten } }]
  - { id: ship, call: test.broken, with: { carrier: any } }
`;
}

/**
 * test.ok returns its input after 40 ms; test.flaky fails twice (Transient), then
 * returns its input; test.broken always fails (Unavailable, not retried).
 */
export const ORDER_ACTIVITIES = `const fail = (type, message, nonRetryable = false) => Object.assign(new Error(message), { name: 'WorkflowError', type, nonRetryable });
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let calls = 0;
export const flaky = {
  name: 'test.flaky', input: { type: 'object' }, output: { type: 'object' },
  async run(input) {
    calls++;
    await pause(30);
    if (calls < 3) throw fail('Transient', 'payment provider unavailable (attempt ' + calls + ')');
    return { ...input, receipt: 'rcpt-7781' };
  },
};
export const ok = { name: 'test.ok', input: { type: 'object' }, output: { type: 'object' }, async run(input) { await pause(40); return input; } };
export const broken = {
  name: 'test.broken', input: { type: 'object' }, output: { type: 'object' },
  async run() { await pause(20); throw fail('Unavailable', 'no carrier today', true); },
};
`;

export const APPROVAL: Json = { by: 'ann', note: HOSTILE };
