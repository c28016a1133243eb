import { describe, expect, it } from 'vitest';
import { diffDefinitions } from '../../src/diff/diff.js';
import type { Change } from '../../src/diff/model.js';
import { definitionFromYaml } from '../graph/helpers.js';

/** The diff of two YAML texts, one line per change: `kind area summary`, `!` marking breaking ones. */
function diff(before: string, after: string): string[] {
  return changes(before, after).map((c) => `${c.breaking ? '! ' : ''}${c.kind} ${c.area}: ${c.summary}`);
}

function changes(before: string, after: string): Change[] {
  return diffDefinitions(definitionFromYaml(before), definitionFromYaml(after)).changes;
}

const BASE = `revo: 1
name: orders
steps:
  - id: charge
    call: payments.charge
    with: { amount: { var: input.amount } }
    result: payment
  - id: ship
    call: shipping.book
  - id: notify
    call: core.log
    with: { message: done }
`;

/** BASE with text replaced. */
const edit = (...pairs: [string, string][]) => pairs.reduce((text, [from, to]) => {
  if (!text.includes(from)) throw new Error(`not in the text: ${from}`);
  return text.replace(from, to);
}, BASE);

describe('diffDefinitions: steps', () => {
  it('finds nothing between identical definitions, whatever the key order', () => {
    expect(diff(BASE, BASE)).toEqual([]);
    expect(diff(BASE, edit(['call: payments.charge\n    with: { amount: { var: input.amount } }', 'with: { amount: { var: input.amount } }\n    call: payments.charge']))).toEqual([]);
  });

  it('reports added and removed steps with where they are', () => {
    expect(diff(BASE, edit(['  - id: ship\n    call: shipping.book\n', '']))).toEqual(['removed step: step `ship` (`call shipping.book`) removed from top level']);
    expect(diff(BASE, `${BASE}  - id: audit\n    set: { audited: true }\n`)).toEqual(['added step: step `audit` (`set audited`) added to top level']);
  });

  it('reports a step moved into another sequence, and one reordered, but not those an insertion shifts', () => {
    const nested = edit(['  - id: ship\n    call: shipping.book\n', '  - id: guarded\n    try:\n      - id: ship\n        call: shipping.book\n']);
    expect(diff(BASE, nested)).toEqual(['added step: step `guarded` (`try`) added to top level', 'moved step: step `ship` moved from top level to try of `guarded`']);
    const notifyFirst = edit(['  - id: notify\n    call: core.log\n    with: { message: done }\n', ''], ['steps:\n', 'steps:\n  - { id: notify, call: core.log, with: { message: done } }\n']);
    expect(diff(BASE, notifyFirst)).toEqual(['moved step: step `notify` moved within top level (position 3 → 1)']);
    const inserted = BASE.replace('steps:\n', 'steps:\n  - { id: first, set: { a: 1 } }\n');
    expect(diff(BASE, inserted)).toEqual(['added step: step `first` (`set a`) added to top level']);
  });

  it('reports which keys of a step changed: with, when, options, activity', () => {
    const changed = changes(
      BASE,
      edit(
        ['with: { amount: { var: input.amount } }', 'with: { amount: { var: input.total } }\n    timeout: 30s\n    retry: { maxAttempts: 2 }'],
        ['call: shipping.book', 'call: shipping.bookV2\n    when: { var: input.ship }'],
      ),
    );
    expect(changed.map((c) => [c.stepId, c.key, c.kind, c.before, c.after])).toEqual([
      ['charge', 'with.amount', 'changed', { var: 'input.amount' }, { var: 'input.total' }],
      ['charge', 'timeout', 'added', undefined, '30s'],
      ['charge', 'retry', 'added', undefined, { maxAttempts: 2 }],
      ['ship', 'call', 'changed', 'shipping.book', 'shipping.bookV2'],
      ['ship', 'when', 'added', undefined, { var: 'input.ship' }],
    ]);
    expect(changed[0]).toMatchObject({ area: 'step', path: 'steps[0].with.amount', breaking: false, summary: 'step `charge`: `with.amount` changed' });
  });

  it('compares nested steps as steps, not as part of their parent', () => {
    const withCase = (message: string) => `revo: 1
name: orders
steps:
  - id: route
    switch:
      - when: { var: input.big }
        steps: [{ id: big, call: core.log, with: { message: ${message} } }]
`;
    expect(diff(withCase('a'), withCase('b'))).toEqual(['changed step: step `big`: `with.message` changed']);
    expect(diff(withCase('a'), withCase('a').replace('var: input.big', 'var: input.huge'))).toEqual(['changed step: step `route`: `switch[0].when` changed']);
  });

  it('reports a step that changed kind once', () => {
    expect(diff(BASE, edit(['    call: core.log\n    with: { message: done }', '    set: { done: true }']))).toEqual(['changed step: step `notify` is now a `set` step (was `call`)']);
  });
});

describe('diffDefinitions: the workflow around the steps', () => {
  it('reports workflow options: defaults, activities, timeout, schedule', () => {
    const before = `${BASE}timeout: 1h\ndefaults: { retry: { maxAttempts: 5 } }\nactivities: { payments.*: { timeout: 10s } }\n`;
    const after = `${BASE}timeout: 2h\ndefaults: { retry: { maxAttempts: 3 } }\nactivities: { payments.*: { timeout: 10s }, shipping.book: { timeout: 1m } }\nschedule: { every: 1h }\n`;
    expect(diff(before, after)).toEqual([
      'changed workflow: `timeout` changed',
      'changed workflow: `defaults.retry.maxAttempts` changed',
      'added workflow: `activities.shipping.book` added',
      'added workflow: `schedule` added',
    ]);
  });

  it('reports routing and priority changes, on the workflow and on steps (docs/dsl.md#routing, #priority)', () => {
    const before = `${BASE}priority: { key: 3 }\ndefaults: { taskQueue: orders }\n`;
    const after = `${BASE.replace('call: shipping.book', 'call: shipping.book\n    taskQueue: shipping\n    priority: { key: 1 }')}priority: { key: 2, fairnessKey: { var: input.tenant } }\ndefaults: { taskQueue: orders-v2 }\n`;
    expect(diff(before, after)).toEqual([
      'changed workflow: `priority.key` changed',
      'added workflow: `priority.fairnessKey` added',
      'changed workflow: `defaults.taskQueue` changed',
      'added step: step `ship`: `taskQueue` added',
      'added step: step `ship`: `priority` added',
    ]);
  });

  it('flags a rename as breaking', () => {
    expect(diff(BASE, BASE.replace('name: orders', 'name: orders-v2'))).toEqual(['! changed workflow: workflow renamed from `orders` to `orders-v2`: whatever starts it by name must change too']);
  });

  it('reports signals added, removed (breaking) and with a narrower payload schema (breaking)', () => {
    const signals = (text: string) => `${BASE}signals:\n${text}`;
    const before = signals('  approve: { schema: { type: object, properties: { by: { type: string } } } }\n  cancel: {}\n');
    const after = signals('  approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } }\n  pause: {}\n');
    expect(diff(before, after)).toEqual([
      '! added signal: signal `approve` payload `by`: now required',
      'added signal: signal `pause` added',
      '! removed signal: signal `cancel` removed: senders of it are refused',
    ]);
  });

  it('reports queries added, removed (breaking) and changed, and output template changes', () => {
    const before = `${BASE}queries: { status: { var: status }, total: { var: total } }\noutput: { id: { var: payment.id }, total: { var: total } }\n`;
    const after = `${BASE}queries: { status: { var: state }, eta: { var: eta } }\noutput: { id: { var: payment.chargeId }, total: { var: total } }\n`;
    expect(diff(before, after)).toEqual([
      'changed query: query `status` changed',
      'added query: query `eta` added',
      '! removed query: query `total` removed: callers of it get an error',
      'changed output: output template: `output.id` changed',
    ]);
  });

  it('flags input schema narrowings as breaking and widenings not', () => {
    const input = (schema: string) => `${BASE}input: ${schema}\n`;
    const changed = changes(input('{ type: object, properties: { amount: { type: number } } }'), input('{ type: object, required: [amount], properties: { amount: { type: number, minimum: 1 }, note: { type: string } } }'));
    expect(changed.map((c) => [c.path, c.breaking, c.summary])).toEqual([
      ['input.required', true, 'input `amount`: now required'],
      ['input.properties.amount.minimum', true, 'input `amount`: minimum 1 added'],
      ['input.properties.note', false, 'input `note`: added'],
    ]);
  });
});
