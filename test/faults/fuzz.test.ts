/**
 * Fault trial: a generated fuzz corpus. Mutants of the example workflows (bytes flipped,
 * lines dropped, doubled, swapped or re-indented, hostile tokens spliced in: prototype
 * names, alias bombs, deep nesting, huge scalars, invalid UTF-8) go through `revo validate`
 * in real processes with a 256 MB heap; hostile inputs and signal payloads (deep, wide,
 * huge, `__proto__` keys) go to `revo run` and `revo signal`. Every process must end with
 * 0, 1 or 2, without a stack trace, in time and within the heap: bounded memory is the
 * heap limit, which a runaway process dies on (a crash, counted).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadText } from '../../src/load/load.js';
import { revoAsync, startRun, workspace, type Workspace } from '../process-helpers.js';
import { crashed, noFigures, random, report, trialCount, type Figures } from './trials.js';
import { validateSources } from '../helpers.js';

const DEFINITIONS = join(import.meta.dirname, '..', '..', 'definitions');
const SOURCES = readdirSync(DEFINITIONS)
  .filter((name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml'))
  .map((name) => ({ name, text: readFileSync(join(DEFINITIONS, name), 'utf8') }));

const HOSTILE_TOKENS = [
  '__proto__', 'constructor', 'prototype', '{ __proto__: { polluted: true } }', '{ var: __proto__.polluted }',
  `&a [${'x,'.repeat(50)}x]`, '*a', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, `${'{a: '.repeat(2_000)}1${'}'.repeat(2_000)}`,
  'x'.repeat(200_000), '!!js/function "() => 1"', '!!binary AAAA', '"\\uD800"', '\t', '? [a, b]\n: c', '<<: *a', '{ var: "" }', '1e999', '-.inf',
];

type Rng = ReturnType<typeof random>;

/** One mutant of `text`: a random mutation, sometimes two. */
function mutate(text: string, rng: Rng): Buffer {
  let lines = text.split('\n');
  const ops = 1 + rng.int(2);
  for (let op = 0; op < ops; op++) {
    const at = rng.int(lines.length);
    switch (rng.int(6)) {
      case 0: lines.splice(at, 1); break;
      case 1: lines.splice(at, 0, lines[rng.int(lines.length)]!); break;
      case 2: { const other = rng.int(lines.length); [lines[at], lines[other]] = [lines[other]!, lines[at]!]; break; }
      case 3: lines[at] = rng.next() < 0.5 ? `  ${lines[at]}` : lines[at]!.replace(/^ {1,2}/, ''); break;
      default: {
        // A hostile token where a value or a key was.
        const line = lines[at]!;
        const colon = line.indexOf(': ');
        const token = rng.pick(HOSTILE_TOKENS);
        lines[at] = colon > 0 && rng.next() < 0.7 ? `${line.slice(0, colon + 2)}${token}` : line.replace(/\w+(?=:)/, token);
      }
    }
  }
  let bytes = Buffer.from(lines.join('\n'));
  if (rng.next() < 0.2) {
    bytes = Buffer.from(bytes);
    const at = rng.int(bytes.length);
    bytes[at] = rng.pick([0xff, 0xc3, 0x80, 0x00, bytes[at]! ^ 0x20]);
  }
  if (rng.next() < 0.05) bytes = Buffer.concat([Buffer.from('a: &a [1,1,1,1,1,1,1,1,1,1]\n'), ...Array.from({ length: 12 }, (_, i) => Buffer.from(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${`*${String.fromCharCode(97 + i)},`.repeat(10)}1]\n`)), bytes]);
  return bytes;
}

/** A hostile JSON value: nested deep, wide, huge or laced with prototype keys. */
function hostileJson(rng: Rng): string {
  switch (rng.int(5)) {
    case 0: { const depth = 200 + rng.int(20_000); return `{"orderId": ${'['.repeat(depth)}1${']'.repeat(depth)}}`; }
    case 1: { const depth = 200 + rng.int(5_000); return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`; }
    case 2: return JSON.stringify({ rows: Array.from({ length: 2 + rng.int(4) }, () => 'x'.repeat(700_000 + rng.int(700_000))) });
    case 3: return `{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "orderId": "x"}`;
    default: return JSON.stringify({ wide: Array.from({ length: 50_000 + rng.int(200_000) }, (_, i) => i) });
  }
}

const HEAP = '--max-old-space-size=256';

function tally(figures: Figures, result: Awaited<ReturnType<typeof revoAsync>>, problems: string[], what: string): void {
  figures.runs++;
  if (result.hung) {
    figures.hangs++;
    problems.push(`${what}: hung`);
  } else if (crashed(result)) {
    figures.crashes++;
    problems.push(`${what}: exit ${result.status ?? result.signal}: ${result.stderr.slice(0, 600)}`);
  }
}

it('mutated workflow files: validated in-process and by `revo validate` without a throw, a hang, a stack trace or a polluted prototype', async () => {
  const rng = random();
  const trials = trialCount(60, 600);
  const mutants = Array.from({ length: trials }, (_, i) => ({ name: `mutant-${i}.yaml`, bytes: mutate(rng.pick(SOURCES).text, rng) }));
  const problems: string[] = [];
  const figures = noFigures();

  // In-process: the library under the CLI. Each mutant must give diagnostics, each positioned.
  for (const mutant of mutants) {
    try {
      const text = mutant.bytes.toString('utf8');
      loadText(mutant.name, text);
      const diagnostics = await validateSources({ [mutant.name]: text });
      for (const d of diagnostics) if (!(d.line >= 1 && d.col >= 1)) problems.push(`${mutant.name}: unpositioned diagnostic ${d.rule}: ${d.message}`);
    } catch (error) {
      problems.push(`${mutant.name}: threw ${(error as Error).stack}`);
    }
  }
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();

  // Real processes, in batches (a process per file would take minutes), each with a bounded heap.
  const ws: Workspace = workspace({});
  ws.env.NODE_OPTIONS = HEAP;
  const dir = join(ws.dir, 'mutants');
  mkdirSync(dir);
  for (const mutant of mutants) writeFileSync(join(dir, mutant.name), mutant.bytes);
  const batch = 20;
  for (let i = 0; i < mutants.length; i += batch) {
    const files = mutants.slice(i, i + batch).map((m) => join('mutants', m.name));
    const result = await revoAsync(ws, ['validate', '--format', 'json', ...files], { timeoutMs: 60_000 });
    tally(figures, result, problems, `revo validate ${files[0]}…`);
    if (!result.hung && result.status !== 2) {
      // Exit 0 or 1: a JSON report naming the files (2 is a file refused whole, with its message on stderr).
      try {
        JSON.parse(result.stdout);
      } catch {
        problems.push(`revo validate ${files[0]}…: stdout is not JSON: ${result.stdout.slice(0, 200)}`);
      }
    }
  }
  report('fuzzed workflow files (revo validate batches)', figures);
  expect(problems).toEqual([]);
  expect(figures).toEqual({ ...noFigures(), runs: Math.ceil(trials / batch) });
}, 900_000);

const ECHO = `revo: 1
name: echo-input
steps:
  - { id: echo, call: core.echo, with: { var: input }, result: echoed }
output: { var: echoed }
`;

const WAITING = `revo: 1
name: waiting
signals:
  more: { schema: { type: object, required: [stop], properties: { stop: { const: true } } } }
steps:
  - { id: wait, wait: { signal: more, timeout: 10m }, result: more }
output: { var: more }
`;

it('hostile inputs: refused with exit 2 and no run, or run — never a crash, a hang or memory without bound', async () => {
  const rng = random();
  const trials = trialCount(8, 60);
  const problems: string[] = [];
  const figures = noFigures();
  const ws = workspace({ 'echo.yaml': ECHO });
  ws.env.NODE_OPTIONS = HEAP;
  for (let trial = 0; trial < trials; trial++) {
    const input = hostileJson(rng);
    writeFileSync(join(ws.dir, 'input.json'), input);
    const result = await revoAsync(ws, ['run', 'echo.yaml', '--input-file', 'input.json', '--json', '--quiet'], { timeoutMs: 60_000 });
    tally(figures, result, problems, `revo run (input ${input.length} bytes)`);
    if (result.status === 2 && !/nothing was run|no run was created/.test(result.stderr)) problems.push(`refused input without saying nothing ran: ${result.stderr.slice(0, 300)}`);
  }
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
  report('hostile inputs (revo run)', figures);
  expect(problems).toEqual([]);
  expect(figures).toEqual({ ...noFigures(), runs: trials });
}, 900_000);

it('hostile signal payloads to a waiting run: each refused with exit 2 and nothing taken, never a crash or a hang', async () => {
  const rng = random();
  const trials = trialCount(8, 60);
  const problems: string[] = [];
  const figures = noFigures();
  const ws = workspace({ 'waiting.yaml': WAITING });
  const run = await startRun(ws, ['waiting.yaml', '--json']);
  ws.env.NODE_OPTIONS = HEAP;
  try {
    for (let trial = 0; trial < trials; trial++) {
      // Small enough for a command line (a signal payload is an argument).
      let payload = hostileJson(rng);
      while (payload.length > 100_000) payload = hostileJson(rng);
      const result = await revoAsync(ws, ['signal', run.runId, 'more', payload], { timeoutMs: 60_000 });
      tally(figures, result, problems, `revo signal (payload ${payload.length} bytes)`);
      if (result.status !== 2) problems.push(`a payload the schema refuses was not refused (exit ${result.status}): ${result.stderr.slice(0, 300)}`);
    }
    // The run took none of them, and takes the good one.
    const good = await revoAsync(ws, ['signal', run.runId, 'more', '{"stop": true}']);
    expect(good.status, good.stderr).toBe(0);
    expect(await run.exited).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ status: 'completed', output: { stop: true } });
  } finally {
    run.child.kill('SIGKILL');
  }
  report('hostile signal payloads (revo signal)', figures);
  expect(problems).toEqual([]);
  expect(figures).toEqual({ ...noFigures(), runs: figures.runs });
}, 900_000);
