import { describe, expect, it } from 'vitest';
import { activityInput } from '../../src/validate/checks/activity-input.js';
import { positions, testCatalog, validateSources } from '../helpers.js';

const check = { checks: [activityInput] };

describe('activity-input', () => {
  it('reports missing required, unknown and mistyped literal properties', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: inputs
steps:
  - id: note
    call: core.log
    with:
      mesage: { var: input.text }
      level: loud
  - id: fetch
    call: http.request
    with:
      url: { cat: [ "https://example.com/", { var: input.id } ] }
      headers: { x-count: 3 }
      timeout: soon
`,
    }, check);
    expect(positions(diagnostics)).toEqual([
      '6:5 error activity-input',
      '7:7 error activity-input',
      '8:14 error activity-input',
      '13:27 error activity-input',
      '14:16 error activity-input',
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'step `note`: `with` is missing property `message`, which activity `core.log` requires',
      'step `note`: activity `core.log` has no input property `mesage` in `with`; did you mean `message`?',
      'step `note`: `with.level` is the string "loud", but activity `core.log` accepts only `debug`, `info`, `warn`, `error`',
      'step `fetch`: `with.headers.x-count` is the integer 3, but activity `http.request` expects a string',
      'step `fetch`: `with.timeout` (the string "soon") must match pattern "^([0-9]+(ms|s|m|h|d))+$", as the input schema of activity `http.request` requires',
    ]);
  });

  it('reports a call without `with` to an activity with required input', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: inputs
steps:
  - id: note
    call: core.log
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['5:11 error activity-input']);
    expect(diagnostics[0]!.message).toBe('step `note` calls `core.log` without `with`, but the activity requires `message`; add `with: { message: … }`');
  });

  it('judges literals inside $literal and ignores computed values', async () => {
    const catalog = await testCatalog(
      new Map([
        ['orders.create', {
          name: 'orders.create',
          input: {
            type: 'object',
            required: ['lines'],
            properties: { lines: { type: 'array', uniqueItems: true, items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } } },
          },
          output: true,
        }],
      ]),
    );
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: inputs
steps:
  - id: computed
    call: orders.create
    with:
      lines:
        - { sku: { var: input.a }, qty: { var: input.n } }
        - { sku: { var: input.b }, qty: { var: input.n } }
  - id: literal
    call: orders.create
    with: { $literal: { lines: [ { qty: 1.5 } ] } }
`,
    }, { ...check, catalog });
    expect(positions(diagnostics)).toEqual(['12:34 error activity-input', '12:41 error activity-input']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'step `literal`: `with.lines[0]` is missing property `sku`, which activity `orders.create` requires',
      'step `literal`: `with.lines[0].qty` is the number 1.5, but activity `orders.create` expects an integer',
    ]);
  });

  it('accepts inputs that fit, whole-expression inputs and schema-less activities', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: inputs
steps:
  - id: note
    call: core.log
    with: { message: { cat: [ "order ", { var: input.id } ] }, level: info, data: { any: [ thing ] } }
  - id: fetch
    call: http.request
    with: { var: input.request }
  - id: echo
    call: core.echo
    with: [ 1, { var: input } ]
`,
    }, check);
    expect(positions(diagnostics)).toEqual([]);
  });
});
