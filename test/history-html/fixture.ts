/**
 * A run with something of everything a timeline shows: a retried call, a switch
 * decision, a loop, a signal, a failure after that with its compensation, and values
 * that try to break out of the page.
 */
import type { Json } from '../../interpreter/model.js';

export const HOSTILE = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned=2">';

export const TIMELINE_WORKFLOW = `revo: 1
name: timeline-demo
signals:
  approve: { schema: { type: object } }
steps:
  - id: charge
    call: test.flaky
    with: { amount: 42, note: ${JSON.stringify(HOSTILE)} }
    retry: { initialInterval: 100ms }
    compensate: [{ id: refund, call: test.ok, with: { refund: 42 } }]
  - id: route
    switch:
      - when: { "==": [1, 1] }
        steps: [{ id: big, set: { size: big } }]
  - id: lines
    foreach: [1, 2]
    steps: [{ id: line, call: test.ok, with: { line: { var: item } } }]
  - { id: gate, wait: { signal: approve }, result: approval }
  - { id: ship, call: test.broken, with: { to: somewhere } }
`;

/** test.flaky fails twice (Transient), then returns its input; test.broken always fails. */
export const TIMELINE_ACTIVITIES = `const fail = (type, message, nonRetryable = false) => Object.assign(new Error(message), { name: 'WorkflowError', type, nonRetryable });
let calls = 0;
export const flaky = {
  name: 'test.flaky', input: { type: 'object' }, output: { type: 'object' },
  async run(input) {
    calls++;
    if (calls < 3) throw fail('Transient', 'provider unavailable (attempt ' + calls + ')');
    return input;
  },
};
export const ok = { name: 'test.ok', input: { type: 'object' }, output: { type: 'object' }, async run(input) { return input; } };
export const broken = {
  name: 'test.broken', input: { type: 'object' }, output: { type: 'object' },
  async run() { throw fail('Unavailable', 'no carrier today', true); },
};
`;

export const APPROVAL: Json = { by: 'ann' };
