import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../src/validate/checks/json-schema.js';
import { positions, validateSources } from '../helpers.js';

const check = { checks: [jsonSchema] };

describe('json-schema', () => {
  it('reports a misspelt type with a suggestion, at the offending node', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: typed
input:
  type: object
  properties:
    orderId: { type: strng }
    amount: { type: number, minimum: zero }
steps:
  - id: a
    call: core.echo
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['6:22 error json-schema', '7:38 error json-schema']);
    expect(diagnostics[0]!.message).toBe('`strng` in the `input` schema is not a JSON Schema type; did you mean `string`?');
    expect(diagnostics[1]!.message).toBe('`properties.amount.minimum` in the `input` schema is not valid JSON Schema (draft-07): it must be number');
  });

  it('checks signal schemas, regular expressions, references and misspelt keywords', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: typed
signals:
  approve:
    schema:
      type: object
      requird: [by]
      properties:
        by: { type: string, pattern: "([a-z]" }
        role: { $ref: "#/definitions/role" }
steps:
  - id: a
    wait: { signal: approve }
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['7:7 warning json-schema', '9:38 error json-schema', '10:23 error json-schema']);
    expect(diagnostics[0]!.message).toBe('`requird` in the schema of signal `approve` is not a JSON Schema keyword and is ignored; did you mean `required`?');
    expect(diagnostics[1]!.message).toMatch(/^`pattern` in the schema of signal `approve` is not a valid regular expression: /);
    expect(diagnostics[2]!.message).toBe(
      '`$ref: #/definitions/role` in the schema of signal `approve` points at nothing; references resolve within the schema (e.g. `#/definitions/address`)',
    );
  });

  it('compiles schemas with outside references and reports what cannot be resolved', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: typed
input:
  type: object
  properties:
    address: { $ref: "address.json#/definitions/address" }
steps:
  - id: a
    call: core.echo
`,
    }, check);
    expect(positions(diagnostics)).toEqual(['4:3 error json-schema']);
    expect(diagnostics[0]!.message).toMatch(/^the `input` schema cannot be compiled: can't resolve reference address\.json#\/definitions\/address/);
  });

  it('accepts valid draft-07 schemas', async () => {
    const diagnostics = await validateSources({
      'wf.yaml': `revo: 1
name: typed
input:
  type: object
  required: [orderId]
  additionalProperties: false
  definitions:
    money: { type: number, minimum: 0 }
  properties:
    orderId: { type: string, pattern: "^o-[0-9]+$" }
    amount: { $ref: "#/definitions/money" }
    tags: { type: array, items: { type: [string, "null"] }, x-ui: tags }
signals:
  approve: { schema: true }
steps:
  - id: a
    wait: { signal: approve }
`,
    }, check);
    expect(positions(diagnostics)).toEqual([]);
  });
});
