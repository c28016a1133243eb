/**
 * `npm run bench:validate`: how fast is `revo validate`?
 *
 * Generates 1,000 realistic definitions of ~50 steps each (every step kind, nested)
 * plus the catalog of the activities they call into a temporary directory, then
 * measures, as medians over several rounds after a warm-up:
 *   (a) bare `yaml.parseDocument` of every file (the floor: YAML parsing alone),
 *   (b) full validation — load (parse with positions, limits, JSON) + JSON Schema +
 *       every semantic check — through the same functions `revo validate` uses,
 *   (c) the cold start of `node bin/revo.js validate <one file>` as a child process.
 * Goals: (b) ≤ 1.5 × (a); (c) ≤ 300 ms. Not part of `npm test`: timings vary by machine.
 *
 * Environment: BENCH_FILES (1000), BENCH_STEPS (50), BENCH_ROUNDS (7), BENCH_COLD_RUNS (10);
 * BENCH_KEEP=1 keeps the generated files and prints where they are.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseDocument } from 'yaml';
import { loadActivities, toCatalogFile } from '../src/activities/catalog.js';
import type { ActivitySpec, Catalog } from '../src/activities/types.js';
import { loadText } from '../src/load/load.js';
import { WorkflowSet } from '../src/load/workflow-set.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { CHECKS } from '../src/validate/checks/index.js';
import { countBySeverity, type Diagnostic } from '../src/validate/diagnostic.js';
import { FORMATS } from '../src/validate/format/index.js';
import { validateSet } from '../src/validate/validate.js';
import { median, table } from './report.js';

const FILES = numberFromEnv('BENCH_FILES', 1000);
const STEPS = numberFromEnv('BENCH_STEPS', 50);
const ROUNDS = numberFromEnv('BENCH_ROUNDS', 7);
const COLD_RUNS = numberFromEnv('BENCH_COLD_RUNS', 10);
const GOAL_RATIO = 1.5;
const GOAL_COLD_MS = 300;

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

// ---------------------------------------------------------------------------
// Generator: deterministic, so every run measures the same files.

class Random {
  constructor(private state: number) {}
  next(): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return (this.state >>> 8) / 0x1000000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const SERVICES = ['billing', 'crm', 'inventory', 'shipping', 'ledger', 'search', 'mail', 'risk', 'identity', 'reports'];
const OPERATIONS = ['create', 'fetch', 'update', 'sync', 'score'];

/** The generated activities: every service × operation, plus an `undo` per service. */
function benchActivities(): ActivitySpec[] {
  const specs: ActivitySpec[] = [];
  for (const service of SERVICES) {
    for (const operation of [...OPERATIONS, 'undo']) {
      specs.push({
        name: `${service}.${operation}`,
        description: `Simulated ${service} ${operation}.`,
        input: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: {
            id: { type: 'string' },
            amount: { type: 'number', minimum: 0 },
            note: { type: 'string' },
            tags: { type: 'array', items: { type: 'string' } },
            attempt: { type: 'integer' },
          },
        },
        output: {
          type: 'object',
          properties: { ok: { type: 'boolean' }, value: { type: 'number' }, ref: { type: 'string' } },
        },
        defaults: { timeout: '20s' },
      });
    }
  }
  return specs;
}

const indent = (text: string, by: number) =>
  text
    .split('\n')
    .map((line) => (line ? ' '.repeat(by) + line : line))
    .join('\n');

/** Builds one workflow file of about `target` steps (counting nested ones). */
class FlowWriter {
  /** Steps written so far, nested ones included. */
  count = 0;
  private vars: string[] = [];
  private waited = false;
  private readonly random: Random;

  constructor(
    private readonly index: number,
    private readonly target: number,
  ) {
    this.random = new Random(index * 7919 + 17);
  }

  private id(prefix: string): string {
    this.count++;
    return `${prefix}${this.count}`;
  }

  private activity(): string {
    return `${this.random.pick(SERVICES)}.${this.random.pick(OPERATIONS)}`;
  }

  /** A variable that is certainly assigned at this point (or an input field). */
  private readable(): string {
    return this.vars.length > 0 && this.random.next() < 0.7 ? `${this.random.pick(this.vars)}.value` : 'input.amount';
  }

  private callStep(prefix: string, { result = true, local = false } = {}): string {
    const id = this.id(prefix);
    const lines = [
      `- id: ${id}`,
      `  name: ${this.random.pick(['Look up', 'Record', 'Refresh', 'Check', 'Notify about'])} ${this.random.pick(['the account', 'the order', 'stock levels', 'the ledger', 'risk'])}`,
      `  call: ${this.activity()}`,
      '  with:',
      '    id: { var: input.id }',
      `    amount: { "+": [ { var: ${this.readable()} }, ${this.random.int(100)} ] }`,
      `    note: { cat: [ "step ${id} for ", { var: input.id } ] }`,
      `    tags: [ bench, ${this.random.pick(['eu', 'us', 'apac'])} ]`,
    ];
    if (this.random.next() < 0.3) lines.push(`  timeout: ${this.random.pick(['10s', '1m', '1m30s'])}`);
    if (this.random.next() < 0.2) lines.push('  retry: { maxAttempts: 4, initialInterval: 500ms, backoff: 2, maxInterval: 10s }');
    if (!local && this.random.next() < 0.15) {
      const undo = this.id('undo');
      lines.push('  compensate:', `    - id: ${undo}`, `      call: ${this.random.pick(SERVICES)}.undo`, '      with: { id: { var: input.id } }');
    }
    if (result) {
      const name = `r${this.count}`;
      lines.push(`  result: ${name}`);
      if (!local) this.vars.push(name);
    }
    return lines.join('\n');
  }

  private logStep(text: string): string {
    return [
      `- id: ${this.id('log')}`,
      `  when: { ">": [ { var: input.amount }, ${this.random.int(500)} ] }`,
      '  call: core.log',
      `  with: { message: { cat: [ "${text} ", { var: input.id } ] }, level: info }`,
    ].join('\n');
  }

  /** Nested steps only write variables nobody reads later, so every read stays definite. */
  private body(prefix: string, n: number): string {
    const steps: string[] = [];
    for (let i = 0; i < n; i++) steps.push(this.random.next() < 0.8 ? this.callStep(prefix, { local: true }) : this.logStep('inside'));
    return steps.join('\n');
  }

  private step(): string {
    const kind = this.random.int(12);
    switch (kind) {
      case 0:
      case 1:
      case 2:
        return this.callStep('call');
      case 3: {
        const id = this.id('set');
        const name = `v${this.count}`;
        const line = `- id: ${id}\n  set:\n    ${name}: { value: { "*": [ { var: ${this.readable()} }, 2 ] }, label: "computed in ${id}" }`;
        this.vars.push(name);
        return line;
      }
      case 4: {
        const id = this.id('route');
        return [
          `- id: ${id}`,
          '  switch:',
          `    - when: { ">": [ { var: ${this.readable()} }, ${this.random.int(1000)} ] }`,
          '      steps:',
          indent(this.body('big', 2), 8),
          '    - when: { "==": [ { var: input.region }, "eu" ] }',
          '      steps:',
          indent(this.body('eu', 1), 8),
          '  default:',
          indent(this.body('other', 1), 4),
        ].join('\n');
      }
      case 5: {
        const id = this.id('fan');
        const branches = [0, 1].map((b) => [`- id: ${id}b${b}`, '  steps:', indent(this.body(`p${b}x`, 2), 4)].join('\n'));
        return [`- id: ${id}`, `  failFast: ${this.random.next() < 0.5}`, '  parallel:', indent(branches.join('\n'), 4)].join('\n');
      }
      case 6: {
        const id = this.id('each');
        const name = `c${this.count}`;
        const lines = [
          `- id: ${id}`,
          '  foreach: { var: input.items }',
          '  as: item',
          '  index: i',
          `  concurrency: ${1 + this.random.int(8)}`,
          '  steps:',
          `    - id: ${this.id('item')}`,
          `      call: ${this.activity()}`,
          '      with: { id: { var: item.sku }, amount: { var: item.quantity }, attempt: { var: i } }',
          '      result: line',
          '  collect: { sku: { var: item.sku }, value: { var: line.value } }',
          `  result: ${name}`,
        ];
        this.vars.push(name);
        return lines.join('\n');
      }
      case 7: {
        const counter = `n${this.count}`;
        const init = `- id: ${this.id('init')}\n  set: { ${counter}: 0 }`;
        const loop = [
          `- id: ${this.id('loop')}`,
          `  while: { "<": [ { var: ${counter} }, 3 ] }`,
          '  maxIterations: 10',
          '  steps:',
          indent(this.body('poll', 1), 4),
          `    - id: ${this.id('bump')}`,
          `      set: { ${counter}: { "+": [ { var: ${counter} }, 1 ] } }`,
        ].join('\n');
        return `${init}\n${loop}`;
      }
      case 8:
        return `- id: ${this.id('pause')}\n  sleep: ${this.random.pick(['500ms', '5s', '1m', '1h'])}`;
      case 9: {
        if (this.waited) return this.logStep('checkpoint');
        this.waited = true;
        return `- id: ${this.id('approval')}\n  wait: { signal: approve, timeout: 2d }\n  result: approval`;
      }
      case 10: {
        const id = this.id('guard');
        return [
          `- id: ${id}`,
          '  try:',
          indent(this.body('risky', 2), 4),
          '  catch:',
          '    - errors: [Transient, Timeout]',
          '      as: problem',
          '      steps:',
          `        - id: ${this.id('report')}`,
          '          call: core.log',
          `          with: { message: { cat: [ "${id} failed: ", { var: problem.message } ] }, level: warn }`,
          '    - steps:',
          `        - id: ${this.id('giveUp')}`,
          `          fail: { type: GuardFailed, message: { cat: [ "${id} gave up for ", { var: input.id } ] } }`,
          '  finally:',
          `    - id: ${this.id('cleanup')}`,
          '      set: { cleaned: true }',
        ].join('\n');
      }
      default: {
        const name = `k${this.count}`;
        const line = [
          `- id: ${this.id('child')}`,
          '  child:',
          '    workflow: ./leaf.yaml',
          '    workflowId: { cat: [ "leaf-", { var: input.id } ] }',
          '    input: { id: { var: input.id }, amount: { var: input.amount } }',
          `  result: ${name}`,
        ].join('\n');
        this.vars.push(name);
        return line;
      }
    }
  }

  write(): string {
    const steps: string[] = [];
    while (this.count < this.target) steps.push(this.step());
    if (!this.waited) {
      this.waited = true;
      steps.push(`- id: ${this.id('approval')}\n  wait: { signal: approve, timeout: 2d }\n  result: approval`);
    }
    const last = this.vars.at(-1) ?? 'approval';
    return `# yaml-language-server: $schema=../schema/workflow.schema.json
# Generated by bench/validate.ts: a synthetic but realistic workflow (${this.count} steps).
revo: 1
name: bench-flow-${String(this.index).padStart(4, '0')}
version: "1.${this.index % 10}.0"
description: Synthetic workflow number ${this.index} for the validation benchmark.
input:
  type: object
  required: [id, amount, items]
  properties:
    id: { type: string, minLength: 1 }
    amount: { type: number, minimum: 0 }
    region: { enum: [eu, us, apac] }
    items:
      type: array
      items:
        type: object
        required: [sku, quantity]
        properties:
          sku: { type: string }
          quantity: { type: integer, minimum: 1 }
output:
  id: { var: input.id }
  last: { var: ${last} }
timeout: 7d
defaults:
  timeout: 30s
  heartbeat: 10s
  retry: { maxAttempts: 5, initialInterval: 1s, backoff: 2, maxInterval: 1m }
activities:
  billing.*: { retry: { maxAttempts: 3, nonRetryable: [CardDeclined] } }
  shipping.sync: { timeout: 2m }
signals:
  approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } }
queries:
  progress: { var: input.id }
steps:
${indent(steps.join('\n'), 2)}
`;
  }
}

const LEAF = `revo: 1
name: bench-leaf
description: The child workflow every generated workflow starts.
input:
  type: object
  required: [id]
  properties:
    id: { type: string }
    amount: { type: number }
output: { value: { var: amount } }
steps:
  - id: record
    call: ledger.update
    with: { id: { var: input.id }, amount: { var: input.amount } }
    result: recorded
  - id: amountStep
    set: { amount: { var: recorded.value } }
`;

// ---------------------------------------------------------------------------
// Measurement.


// A full collection before each measurement, so one measurement's garbage is not paid by the next.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Runs every variant once to warm up, then `rounds` rounds in which each variant runs
 * once, in turn. Interleaving keeps a slow spell of a shared machine, or the JIT state
 * one variant leaves behind, from landing on one variant only. Median wall times in ms.
 */
async function measureAll<K extends string>(rounds: number, variants: Record<K, () => unknown | Promise<unknown>>): Promise<Record<K, number>> {
  const names = Object.keys(variants) as K[];
  const times = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const name of names) await variants[name]();
  for (let i = 0; i < rounds; i++) {
    for (const name of names) {
      collectGarbage();
      const start = performance.now();
      await variants[name]();
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((k) => [k, median(times[k])])) as Record<K, number>;
}


const ms = (n: number) => n.toFixed(n < 10 ? 2 : 0);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'revo-bench-'));
  try {
    // Generate the files and their catalog (written where `revo validate` finds it).
    const names: string[] = [];
    let steps = 0;
    for (let i = 1; i <= FILES; i++) {
      const writer = new FlowWriter(i, STEPS);
      const name = join(dir, `flow-${String(i).padStart(4, '0')}.yaml`);
      writeFileSync(name, writer.write());
      steps += writer.count;
      names.push(name);
    }
    writeFileSync(join(dir, 'leaf.yaml'), LEAF);
    names.push(join(dir, 'leaf.yaml'));
    writeFileSync(join(dir, 'catalog.json'), `${JSON.stringify(toCatalogFile(benchActivities()), null, 2)}\n`);

    const texts = await Promise.all(names.map(async (file) => [file, await readFile(file, 'utf8')] as const));
    const bytes = texts.reduce((sum, [, text]) => sum + Buffer.byteLength(text), 0);
    const { catalog } = await loadActivities({ catalogs: [join(dir, 'catalog.json')] });

    // Sanity: the generated files are valid, so every check runs on every file.
    const first = validateInMemory(texts, catalog);
    const counts = countBySeverity(first);
    if (first.length > 0) {
      const sample = FORMATS.text(first.slice(0, 5), { sources: new Map(texts), color: false, rules: CHECKS, filesChecked: texts.length });
      console.log(`note: the generated files are not all clean (${counts.error} errors, ${counts.warning} warnings); first ones:\n${sample}`);
    }

    const { parse, parseKept, load, schemaOnly, full, fromDisk } = await measureAll(ROUNDS, {
      parse: () => {
        for (const [, text] of texts) parseDocument(text);
      },
      // The same parse, keeping every Document alive: what holding ~1,000 YAML trees costs.
      parseKept: () => texts.map(([, text]) => parseDocument(text)),
      load: () => {
        for (const [file, text] of texts) loadText(file, text);
      },
      schemaOnly: () => validateInMemory(texts, catalog, []),
      full: () => validateInMemory(texts, catalog),
      fromDisk: async () => validateSet(await WorkflowSet.load(names), { catalog }),
    });

    const n = texts.length;
    const ratio = full / parse;
    const row = (label: string, total: number, goal = '') => [label, ms(total), ms(total / n), `${(total / parse).toFixed(2)}x`, goal];
    console.log(
      `\nRevo validation benchmark: ${n} files (${FILES} generated + 1 child), ${(steps / FILES).toFixed(1)} steps and ` +
        `${(bytes / n / 1024).toFixed(1)} KB per file; median of ${ROUNDS} interleaved rounds after a warm-up; ` +
        `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}\n`,
    );
    console.log(
      table([
        ['', 'total ms', 'per file ms', 'vs parse', 'goal'],
        row('(a) yaml.parseDocument (bare parse)', parse),
        row('    yaml.parseDocument, keeping all Documents', parseKept),
        row('    load: parse + positions + limits + JSON', load),
        row('    load + JSON Schema', schemaOnly),
        row('(b) full validation (load + schema + checks)', full, `≤ ${GOAL_RATIO}x ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'}`),
        row('    full validation, reading the files too', fromDisk),
      ]),
    );

    // (c) Cold start of the real CLI on one file.
    const bin = join(PACKAGE_ROOT, 'bin', 'revo.js');
    const target = names[0]!;
    const probe = spawnSync(process.execPath, [bin, 'validate', target], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    console.log('');
    if (probe.status !== 0) {
      console.log(`(c) cold start: \`revo validate\` did not succeed (exit ${probe.status}); not measured.\n${probe.stdout}${probe.stderr}`);
    } else {
      const times: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        const start = performance.now();
        spawnSync(process.execPath, [bin, 'validate', target], { env: { ...process.env, NO_COLOR: '1' } });
        times.push(performance.now() - start);
      }
      const nodeOnly: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        const start = performance.now();
        spawnSync(process.execPath, ['-e', '0']);
        nodeOnly.push(performance.now() - start);
      }
      const cold = median(times);
      console.log(
        table([
          ['', 'median ms', 'min ms', 'max ms', 'goal'],
          [`(c) cold start: node bin/revo.js validate <one file> (${COLD_RUNS} runs)`, ms(cold), ms(Math.min(...times)), ms(Math.max(...times)), `≤ ${GOAL_COLD_MS} ms ${cold <= GOAL_COLD_MS ? 'met' : 'MISSED'}`],
          ['    for comparison: node -e 0', ms(median(nodeOnly)), ms(Math.min(...nodeOnly)), ms(Math.max(...nodeOnly)), ''],
        ]),
      );
    }
  } finally {
    if (process.env.BENCH_KEEP) console.log(`\nthe generated files are kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Load + validate in-memory texts as one set, as `revo validate` does after reading them. */
function validateInMemory(texts: readonly (readonly [string, string])[], catalog: Catalog, checks?: typeof CHECKS): Diagnostic[] {
  const set = new WorkflowSet(texts.map(([file, text]) => loadText(file, text)));
  return validateSet(set, { catalog, checks });
}

await main();
