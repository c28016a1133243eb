/**
 * The JSON Schema of the DSL and the messages `revo validate` gives for schema
 * errors: one clear message per problem, at the line:col of the YAML to change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN } from '../interpreter/duration.js';
import { STEP_KINDS } from '../interpreter/model.js';
import { SCHEMA_PATH } from '../src/paths.js';
import { parse } from 'yaml';
import { explainDefinition } from '../src/validate/schema-errors.js';
import { GENERATED_PATH, standaloneModule } from '../src/validate/schema-standalone.js';
import { KIND_DEFINITIONS, quickValidator } from '../src/validate/schema-validator.js';
import { validateSources } from './helpers.js';

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, any>;

/** Schema diagnostics only (no semantic checks), as `line:col message`. */
async function schemaErrors(text: string): Promise<string[]> {
  const diagnostics = await validateSources({ 'wf.yaml': text }, { checks: [] });
  for (const d of diagnostics) expect(d.rule === 'schema' || d.rule === 'yaml').toBe(true);
  return diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`);
}

const HEAD = 'revo: 1\nname: demo\n';

/** A definition that uses every field of the DSL (docs/dsl.md). */
const FULL = `revo: 1
name: order-fulfilment
version: "1.4.0"
description: Everything at once.
input:
  type: object
  required: [orderId]
  properties: { orderId: { type: string } }
output: { var: shipment }
timeout: 7d
priority: { key: 3, fairnessKey: { var: input.orderId }, fairnessWeight: 1.5 }
defaults:
  timeout: 30s
  heartbeat: 10s
  taskQueue: orders
  retry: { maxAttempts: 5, initialInterval: 1s, backoff: 2, maxInterval: 1m, maxElapsed: 1h, nonRetryable: [CardDeclined], retryOn: [Transient] }
activities:
  payments.*: { retry: { maxAttempts: 3 } }
  shipping.book: { timeout: 2m, taskQueue: shipping }
signals:
  approve: { description: Approval, schema: { type: object } }
  poke: {}
  anything: { schema: true }
queries:
  progress: { var: shipped }
schedule:
  every: 1h
  input: { orderId: nightly }
steps:
  - id: charge
    name: Charge the card
    when: { ">": [{ var: input.amount }, 0] }
    call: core.echo
    with: { orderId: { var: input.orderId } }
    result: receipt
    timeout: 1m
    heartbeat: 10s
    retry: { maxAttempts: 2 }
    taskQueue: payments
    priority: { key: 1 }
    local: false
    compensate:
      - id: refund
        call: core.log
        with: { message: refund }
  - id: totals
    set: { total: 1, note: { $literal: { var: x } } }
  - id: route
    switch:
      - when: { "==": [1, 1] }
        steps: []
    default:
      - id: fallback
        return: null
  - id: fan
    parallel:
      - id: left
        steps: [{ id: l1, sleep: 1s }]
    failFast: false
  - id: each
    foreach: { var: input.items }
    as: thing
    index: i
    concurrency: 4
    steps: []
    collect: { var: thing }
    result: things
  - id: poll
    while: true
    maxIterations: 10
    steps: [{ id: nap, sleep: { var: delay } }]
  - id: approval
    wait: { signal: approve, timeout: 3d }
    result: approval
  - id: ship
    child: { workflow: ./shipping.yaml, input: {}, workflowId: abc, wait: false }
    priority: { fairnessKey: shipping }
    result: shipment
  - id: guarded
    try: [{ id: risky, fail: { type: Boom, message: no, details: { a: 1 } } }]
    catch:
      - errors: [Boom]
        as: problem
        steps: []
    finally: []
  - id: done
    return: { var: shipment }
`;

describe('the schema file', () => {
  it('is draft-07 with a description on every property and a title on every definition', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const missing: string[] = [];
    const visit = (node: unknown, where: string, userSchema = false) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, any>;
      if (n.properties) {
        if (n.type === 'object' && n.additionalProperties !== false) missing.push(`${where}: additionalProperties is not false`);
        for (const [name, prop] of Object.entries<Record<string, unknown>>(n.properties)) {
          if (typeof prop.description !== 'string' || prop.description.length < 10) missing.push(`${where}.${name}: no description`);
          visit(prop, `${where}.${name}`, userSchema);
        }
      }
      for (const key of ['items', 'additionalProperties', 'propertyNames']) if (typeof n[key] === 'object') visit(n[key], `${where}[${key}]`);
      for (const key of ['oneOf', 'anyOf']) if (Array.isArray(n[key])) n[key].forEach((b: unknown, i: number) => visit(b, `${where}.${key}[${i}]`));
    };
    visit(schema, '#');
    for (const [name, definition] of Object.entries<Record<string, unknown>>(schema.definitions)) {
      if (definition.title !== name) missing.push(`definitions.${name}: title is not ${name}`);
      if (typeof definition.description !== 'string') missing.push(`definitions.${name}: no description`);
      visit(definition, `definitions.${name}`);
    }
    expect(missing).toEqual([]);
  });

  it('describes every step kind, with id, name and when on each', () => {
    const branches = schema.definitions.Step.oneOf.map((b: { $ref: string }) => b.$ref.replace('#/definitions/', ''));
    expect(branches).toEqual(STEP_KINDS.map((k) => KIND_DEFINITIONS[k]));
    for (const kind of STEP_KINDS) {
      const definition = schema.definitions[KIND_DEFINITIONS[kind]];
      expect(definition.required).toEqual(expect.arrayContaining(['id', kind]));
      expect(Object.keys(definition.properties)).toEqual(expect.arrayContaining(['id', 'name', 'when', kind]));
      expect(definition.additionalProperties).toBe(false);
    }
  });

  it('uses the interpreter duration pattern', () => {
    expect(schema.definitions.Duration.pattern).toBe(DURATION_PATTERN);
  });

  it('ships an up-to-date precompiled validator (else run: npx tsx src/validate/schema-standalone.ts)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8') === standaloneModule(readFileSync(SCHEMA_PATH, 'utf8'))).toBe(true);
  });
});

describe('valid definitions', () => {
  it('accept every field of the DSL (docs/dsl.md)', async () => {
    expect(await schemaErrors(FULL)).toEqual([]);
  });

  it('accept schedule with cron', async () => {
    expect(await schemaErrors(`${HEAD}schedule: { cron: "0 3 * * *" }\nsteps: [{ id: a, return: 1 }]\n`)).toEqual([]);
  });

  it('accept every file in definitions/', async () => {
    const dir = join(import.meta.dirname, '..', 'definitions');
    const files = Object.fromEntries(
      readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => [join('definitions', f), readFileSync(join(dir, f), 'utf8')]),
    );
    const diagnostics = await validateSources(files, { checks: [] });
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual([]);
  });
});

describe('schema error messages', () => {
  it('point at a misspelt key and suggest the right one', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: charge
    call: payments.charge
    retyr: { maxAttempts: 3 }
`)).toEqual(['6:5 unknown key `retyr` in step `charge`; did you mean `retry`?']);
  });

  it('list the allowed keys when nothing is close', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: charge
    call: payments.charge
    steps: []
`)).toEqual([
      '6:5 unknown key `steps` in step `charge`; a `call` step takes id, name, when, call, with, result, timeout, heartbeat, retry, taskQueue, priority, local, compensate',
    ]);
  });

  it('find misspelt keys at the top level and in nested mappings', async () => {
    expect(await schemaErrors(`${HEAD}stepz: []
defaults:
  retry: { maxAtempts: 3 }
`)).toEqual([
      '3:1 unknown key `stepz` in the workflow; did you mean `steps`?',
      '5:12 unknown key `maxAtempts` in `defaults.retry`; did you mean `maxAttempts`?',
    ]);
  });

  it('suggest the step kind a misspelt kind key meant', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: charge
    cal: payments.charge
`)).toEqual(['5:5 step `charge` has no kind: `cal` is not a step kind; did you mean `call`?']);
  });

  it('list the kinds when a step has none', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: nothing
    name: Nothing here
`)).toEqual([
      '4:5 step `nothing` has no kind; use one of `call`, `set`, `switch`, `parallel`, `foreach`, `while`, `sleep`, `wait`, `child`, `try`, `fail`, `return`',
    ]);
  });

  it('say when a step has two kinds', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: both
    call: core.echo
    set: { a: 1 }
`)).toEqual(['6:5 step `both` has 2 kind keys, `call` and `set`; a step has exactly one kind, so split it into 2 steps']);
  });

  it('name a missing required key at its parent', async () => {
    expect(await schemaErrors(`revo: 1
steps:
  - id: loop
    while: true
  - call: core.echo
  - id: w
    wait: { timeout: 1m }
`)).toEqual([
      '1:1 the workflow is missing the required key `name`',
      '3:5 step `loop` is missing the required key `steps`',
      '5:5 the step at `steps[1]` is missing the required key `id`',
      '7:11 `wait` of step `w` is missing the required key `signal`',
    ]);
  });

  it('say what type a value must have and what it got', async () => {
    expect(await schemaErrors(`revo: "1"
name: Demo
steps:
  - id: charge
    call: core.echo
    retry: { maxAttempts: three, backoff: 0.5 }
    local: "yes"
  - id: loop
    while: true
    maxIterations: 0
    steps: oops
`)).toEqual([
      '1:7 `revo` must be `1`, got "1"',
      '2:7 `name` must be a name of lower-case letters, digits and `-`, starting with a letter (like `order-fulfilment`), got "Demo"',
      '6:27 `retry.maxAttempts` of step `charge` must be an integer ≥ 1, got "three"',
      '6:43 `retry.backoff` of step `charge` must be a number ≥ 1, got 0.5',
      '7:12 `local` of step `charge` must be `true` or `false`, got "yes"',
      '10:20 `maxIterations` of step `loop` must be an integer ≥ 1, got 0',
      '11:12 `steps` of step `loop` must be a list of steps, got "oops"',
    ]);
  });

  it('explain a bad duration', async () => {
    const help = 'is not a duration: use <integer><unit> parts like 30s, 1h30m (units ms s m h d)';
    expect(await schemaErrors(`${HEAD}timeout: 1 week
defaults: { timeout: 30 }
steps:
  - id: charge
    call: core.echo
    timeout: 30x
  - id: nap
    sleep: 5 minutes
  - id: nap2
    sleep: 5
`)).toEqual([
      `3:10 \`timeout\` ${help}, got "1 week"`,
      `4:22 \`defaults.timeout\` ${help}, got 30`,
      `8:14 \`timeout\` of step \`charge\` ${help}, got "30x"`,
      `10:12 \`sleep\` of step \`nap\` ${help}, got "5 minutes"`,
      '12:12 `sleep` of step `nap2` must be a duration like 30s or an expression that gives one, like `{ var: delay }`, got 5',
    ]);
  });

  it('explain errors in steps nested in try, parallel, foreach, switch and compensate', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: guarded
    try:
      - id: inner
        call: core.echo
        timeout: 3
    catch:
      - errors: [Boom]
  - id: fan
    parallel:
      - id: left
        steps:
          - id: each
            foreach: { var: xs }
            stepz: []
      - steps: []
  - id: route
    switch:
      - when: true
        steps:
          - id: deep
            sleep: 1s
            as: x
  - id: pay
    call: core.echo
    compensate:
      - id: refund
        calll: core.echo
`)).toEqual([
      '8:18 `timeout` of step `inner` is not a duration: use <integer><unit> parts like 30s, 1h30m (units ms s m h d), got 3',
      '10:9 `catch[0]` of step `guarded` is missing the required key `steps`',
      '17:13 unknown key `stepz` in step `each`; did you mean `steps`?',
      '18:9 `parallel[1]` of step `fan` is missing the required key `id`',
      '25:13 unknown key `as` in step `deep`; a `sleep` step takes id, name, when, sleep',
      '30:9 step `refund` has no kind: `calll` is not a step kind; did you mean `call`?',
    ]);
  });

  it('explain schedules, activity patterns, variable names and signal declarations', async () => {
    expect(await schemaErrors(`${HEAD}schedule: { cron: "0 3 * * *", every: 1h }
activities:
  "payments charge": { timeout: 1m }
signals:
  approve: { schema: 5, extra: 1 }
steps:
  - id: s
    set: { "a b": 1 }
`)).toEqual([
      '3:11 `schedule` has both `cron` and `every`; use only one',
      '5:3 `payments charge` is not an activity name or prefix under `activities`: use an exact name like `payments.charge` or a prefix like `payments.*`',
      '7:22 `signals.approve.schema` must be a JSON Schema (a mapping, or true or false), got 5',
      '7:25 unknown key `extra` in `signals.approve`; allowed keys are description, schema',
      '10:12 `a b` in `set` of step `s` is not a variable name: use letters, digits, `_` and `-`, starting with a letter or `_`',
    ]);
    expect(await schemaErrors(`${HEAD}schedule: { input: 1 }\nsteps: [{ id: a, return: 1 }]\n`)).toEqual([
      '3:11 `schedule` needs one of `cron` or `every`',
    ]);
  });

  it('give one message for a typo that also leaves a required key missing', async () => {
    expect(await schemaErrors(`${HEAD}schedule: { crn: "0 3 * * *" }
stepss:
  - id: a
    return: 1
`)).toEqual([
      '3:13 unknown key `crn` in `schedule`; did you mean `cron`?',
      '4:1 unknown key `stepss` in the workflow; did you mean `steps`?',
    ]);
  });

  it('explain files that are not a mapping, empty step lists and steps that are not mappings', async () => {
    expect(await schemaErrors('- a\n- b\n')).toEqual(['1:1 a workflow file must be a mapping with `revo`, `name` and `steps`, got a list']);
    expect(await schemaErrors(`${HEAD}steps: []\n`)).toEqual(['3:8 `steps` must be a non-empty list of steps, got an empty list']);
    expect(await schemaErrors(`${HEAD}steps:\n  - just text\n`)).toEqual([
      '4:5 a step must be a mapping with an `id` and one kind key (`call`, `set`, `switch`, `parallel`, `foreach`, `while`, `sleep`, `wait`, `child`, `try`, `fail`, `return`), got "just text"',
    ]);
  });

  it('leave a redeclared `state` query to its semantic check', async () => {
    expect(await schemaErrors(`${HEAD}queries: { state: 1 }\nsteps: [{ id: a, return: 1 }]\n`)).toEqual([]);
  });
});

describe('schema error messages for lists', () => {
  it('say what a list holds', async () => {
    expect(await schemaErrors(`${HEAD}steps:
  - id: route
    switch: []
  - id: fan
    parallel: { id: a }
  - id: guarded
    try: []
    catch: { steps: [] }
  - id: pay
    call: core.echo
    retry: { nonRetryable: Boom }
`)).toEqual([
      '5:13 `switch` of step `route` must be a non-empty list of cases (each with `when` and `steps`), got an empty list',
      '7:15 `parallel` of step `fan` must be a non-empty list of branches (each with `id` and `steps`), got a mapping',
      '10:12 `catch` of step `guarded` must be a list of catch clauses, got a mapping',
      '13:28 `retry.nonRetryable` of step `pay` must be a list of error types, got "Boom"',
    ]);
  });
});

describe('schema error explanations', () => {
  it('explain every broken variant of a full definition, without raw ajv wording', () => {
    const base = parse(FULL) as unknown;
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, i]));
      else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) collect(v, [...path, k]);
    };
    collect(base, []);
    const replacements: unknown[] = [null, 5, 'x', [], {}, { bogus: 1 }, [{ id: 'z' }]];
    let broken = 0;
    for (const path of paths.slice(1)) {
      for (const replacement of replacements) {
        const copy = structuredClone(base) as Record<string, unknown>;
        let parent: any = copy;
        for (const segment of path.slice(0, -1)) parent = parent[segment];
        parent[path.at(-1)!] = structuredClone(replacement);
        const valid = quickValidator()(copy);
        const problems = explainDefinition(copy);
        expect(problems.length === 0, `${path.join('.')} = ${JSON.stringify(replacement)}`).toBe(valid);
        if (valid) continue;
        broken++;
        for (const { message } of problems) {
          expect(message).not.toMatch(/oneOf|anyOf|must match|must NOT|schema in|additional propert/);
        }
      }
    }
    expect(broken).toBeGreaterThan(500);
  });
});
