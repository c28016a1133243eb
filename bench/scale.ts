/**
 * `npm run bench:scale`: does Revo scale out on Temporal like the same workflow written by
 * hand in TypeScript, and how fast is `revo signal`?
 *
 * For each worker count (--workers, default 1,2,4) and each form, N real worker processes
 * on a task queue of their own, on a fresh dev server per burst:
 *   Revo:         `revo worker --activities dist/bench/bench-activities.js` (the built CLI);
 *   hand-written: dist/bench/scale-handwritten-worker.js, the hand-written workflows in their
 *                 own bundle with the same activity and worker settings.
 * After a warm-up (2 runs per worker), --runs runs (default 200) of a 10-step workflow are
 * started at once from this process. Measured: throughput (runs / time from the first start
 * to the last result), each run's latency (start to result; p50 and p95), and the CPU time of
 * the worker processes (/proc/<pid>/stat: utime + stime, every thread of the worker), of the
 * dev server and of this client over the burst, per run; the machine's busy share over the
 * burst (/proc/stat, every process, other users' too) tells how contended the figures are.
 *
 * Signal latency: one Revo run waiting for --signals signals, one Revo worker; rounds of
 * `revo signal <run> go` then `temporal workflow signal` on that same run (alternating
 * which goes first): process spawn to exit, and spawn to the server's event (Update
 * accepted, or Signaled) in the run's history. Medians.
 *
 * Zigflow: not in the Go module versions this machine's proxy serves (checked in
 * /work/.library/env/packages/go-partial.tsv), so not benchmarked; the report says so.
 * The 20-step wall time and the 1,000-step replay are bench/temporal.ts's (`npm run
 * bench:scale` runs it after this one).
 *
 * Goals (from the issue): throughput ≥ 0.95× hand-written at each worker count; 1→2 worker
 * speed-up ≥ the hand-written one's; worker CPU per run ≤ 1.3×; signal ≤ 1.5× the temporal
 * CLI's. A report: exits 0 when a goal is missed. Not part of `npm test`.
 *
 * Options: --runs N (200), --workers "1,2,4", --signals N (10 rounds), --only scale|signal,
 * --profile <dir> (the worker processes run with `node --cpu-prof`, one profile per thread there).
 * Env: BENCH_RUNS, BENCH_SIGNALS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Json } from '../interpreter/model.js';
import { startRun } from '../src/temporal/client.js';
import { startDevServer, type DevServer } from '../src/temporal/dev-server.js';
import { median, positive, table } from './report.js';
import { bundleOf, loadLine, percentile, ratio, stepsBundle } from './temporal-common.js';

const GOALS = { throughput: 0.95, cpu: 1.3, signal: 1.5 };
const STEPS = 10;
const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));
const REVO_BIN = join(PACKAGE, 'bin', 'revo.js');
const BENCH_ACTIVITIES = fileURLToPath(new URL('./bench-activities.js', import.meta.url));
const HANDWRITTEN_WORKER = fileURLToPath(new URL('./scale-handwritten-worker.js', import.meta.url));
const CLOCK_TICKS = 100; // USER_HZ on Linux

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string' },
    workers: { type: 'string', default: '1,2,4' },
    signals: { type: 'string' },
    only: { type: 'string' },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  console.log('usage: node dist/bench/scale.js [--runs N] [--workers 1,2,4] [--signals N] [--only scale|signal] [--profile <dir>]');
  process.exit(0);
}
const RUNS = positive(args.runs, 'BENCH_RUNS', 200);
const SIGNALS = positive(args.signals, 'BENCH_SIGNALS', 10);
const WORKER_COUNTS = args.workers!.split(',').map((n) => Number(n.trim()));
if (WORKER_COUNTS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--workers takes counts like 1,2,4, not ${args.workers}`);
if (args.only && !['scale', 'signal'].includes(args.only)) throw new Error(`--only takes scale or signal, not ${args.only}`);
if (platform() !== 'linux') throw new Error('bench:scale reads CPU times from /proc: Linux only');

/** Node flags of the worker processes: a CPU profile per thread with --profile. */
const WORKER_NODE_FLAGS = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];

const progress = (text: string) => process.stderr.write(`[bench] ${text}\n`);

// ---------------------------------------------------------------------------
// CPU time, from /proc.

/** utime + stime of a process (all its threads), in ms. */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Busy and total jiffies of the whole machine (every process, every user). */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3]! + n[4]!;
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** The dev server: this process's child whose command is `temporal`. */
function serverPid(): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid && stat.includes('(temporal)')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Worker processes.

interface Form {
  label: string;
  taskQueue: string;
  spawnWorker(address: string): ChildProcess;
  start(client: Client, workflowId: string, address: string): Promise<WorkflowHandle>;
}

function forms(handwrittenCode: string): Form[] {
  const revoBundle = stepsBundle(STEPS);
  return [
    {
      label: 'hand-written',
      taskQueue: 'scale-hand',
      spawnWorker: (addr) => spawn(process.execPath, [...WORKER_NODE_FLAGS, HANDWRITTEN_WORKER, addr, 'scale-hand', handwrittenCode], { stdio: ['ignore', 'ignore', 'pipe'] }),
      start: (client, workflowId) => client.workflow.start('handwrittenSteps', { taskQueue: 'scale-hand', workflowId, args: [STEPS] }),
    },
    {
      label: 'Revo',
      taskQueue: 'scale-revo',
      spawnWorker: (addr) => spawn(process.execPath, [...WORKER_NODE_FLAGS, REVO_BIN, 'worker', '--activities', BENCH_ACTIVITIES, '--address', addr, '--task-queue', 'scale-revo'], { stdio: ['ignore', 'ignore', 'pipe'] }),
      // The real client path of `revo start`: argument, memo and search attributes built by startRun.
      start: (client, workflowId, address) => startRun(client, { address, namespace: 'default', taskQueue: 'scale-revo' }, { bundle: revoBundle, input: {}, trigger: { by: 'bench', input: {} }, workflowId }),
    },
  ];
}

/** Spawns a worker and resolves once it polls (its `ready` line on stderr). */
function readyWorker(form: Form, address: string): Promise<ChildProcess> {
  const child = form.spawnWorker(address);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/\bready\b/.test(output)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`a ${form.label} worker exited (${code}) before it was ready:\n${output}`)));
  });
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

// ---------------------------------------------------------------------------
// The burst.

interface Burst {
  throughput: number;
  p50: number;
  p95: number;
  workerCpuPerRun: number;
  serverCpuPerRun: number;
  clientCpuPerRun: number;
  machineBusy: number;
  load: string;
  /** Workflow tasks that timed out (on a sticky queue before a worker took them, or while one ran them) or failed, over all runs. */
  taskTrouble: { stickyTimeouts: number; runTimeouts: number; failed: number };
}

/** Counts the workflow tasks of these runs that timed out or failed (read from their histories, after the timing). */
async function taskTrouble(handles: WorkflowHandle[]): Promise<Burst['taskTrouble']> {
  const trouble = { stickyTimeouts: 0, runTimeouts: 0, failed: 0 };
  for (const handle of handles) {
    for (const event of (await handle.fetchHistory()).events ?? []) {
      const timedOut = event.workflowTaskTimedOutEventAttributes;
      if (timedOut) {
        // TIMEOUT_TYPE_SCHEDULE_TO_START (2): it waited on a sticky queue too long; otherwise START_TO_CLOSE.
        if (timedOut.timeoutType === 2) trouble.stickyTimeouts++;
        else trouble.runTimeouts++;
      }
      if (event.workflowTaskFailedEventAttributes) trouble.failed++;
    }
  }
  return trouble;
}

let runNumber = 0;

/**
 * `use` with a client of a dev server of its own, stopped afterwards. Each burst gets one:
 * the server's CPU per run grows with the runs it holds (about 60 ms per run at the first
 * burst, 110 ms at the eighth, measured), so a shared server would charge whichever form
 * goes second for the other's runs.
 */
async function onFreshServer<T>(use: (client: Client, server: DevServer) => Promise<T>): Promise<T> {
  const server = await startDevServer({ log: (line) => console.error(`[temporal] ${line}`) });
  const connection = await Connection.connect({ address: server.address });
  try {
    return await use(new Client({ connection }), server);
  } finally {
    await connection.close();
    await server.stop();
  }
}

async function burst(client: Client, form: Form, workers: number, address: string): Promise<Burst> {
  const children = await Promise.all(Array.from({ length: workers }, () => readyWorker(form, address)));
  try {
    const handles: WorkflowHandle[] = [];
    const run = async (): Promise<number> => {
      const started = performance.now();
      const handle = await form.start(client, `scale-${form.taskQueue}-${process.pid}-${++runNumber}`, address);
      handles.push(handle);
      const output = (await handle.result()) as Json;
      if (JSON.stringify(output) !== JSON.stringify({ i: STEPS })) throw new Error(`${form.label} returned ${JSON.stringify(output)}, not {"i":${STEPS}}`);
      return performance.now() - started;
    };
    // Warm-up: every worker loads its workflow code and takes a few runs.
    await Promise.all(Array.from({ length: 2 * workers }, run));
    handles.length = 0;
    const server = serverPid();
    const cpuBefore = children.map((c) => processCpuMs(c.pid!));
    const serverBefore = server ? processCpuMs(server) : 0;
    const clientBefore = process.cpuUsage();
    const machineBefore = machineTicks();
    const started = performance.now();
    const latencies = await Promise.all(Array.from({ length: RUNS }, run));
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineTicks();
    const clientCpu = process.cpuUsage(clientBefore);
    const workerMs = children.reduce((sum, c, i) => sum + processCpuMs(c.pid!) - cpuBefore[i]!, 0);
    const serverMs = server ? processCpuMs(server) - serverBefore : NaN;
    const load = loadLine('after').replace(/^load average after: /, '').replace(/ \(WARNING.*$/, '');
    return {
      taskTrouble: await taskTrouble(handles),
      throughput: RUNS / seconds,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      workerCpuPerRun: workerMs / RUNS,
      serverCpuPerRun: serverMs / RUNS,
      clientCpuPerRun: (clientCpu.user + clientCpu.system) / 1000 / RUNS,
      machineBusy: (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total),
      load,
    };
  } finally {
    await stopWorkers(children);
  }
}

async function scale(handwrittenCode: string): Promise<void> {
  const [hand, revo] = forms(handwrittenCode);
  const results = new Map<number, Map<Form, Burst>>();
  for (const [index, workers] of WORKER_COUNTS.entries()) {
    const byForm = new Map<Form, Burst>();
    // Alternate which form goes first at each count.
    for (const form of index % 2 === 0 ? [hand!, revo!] : [revo!, hand!]) {
      progress(`${form.label}: ${RUNS} runs of ${STEPS} steps at once on ${workers} worker process${workers === 1 ? '' : 'es'}`);
      byForm.set(form, await onFreshServer((client, server) => burst(client, form, workers, server.address)));
    }
    results.set(workers, byForm);
  }
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const cpu = (n: number) => `${n.toFixed(1)} ms`;
  const rows = [['workers', 'form', 'runs/s', 'p50', 'p95', 'worker CPU/run', 'server CPU/run', 'client CPU/run', 'machine busy', 'load (1 min)', 'task timeouts sticky/running, failed']];
  for (const [workers, byForm] of results) {
    for (const [form, b] of byForm) {
      rows.push([String(workers), form.label, b.throughput.toFixed(1), ms(b.p50), ms(b.p95), cpu(b.workerCpuPerRun), cpu(b.serverCpuPerRun), cpu(b.clientCpuPerRun), `${(b.machineBusy * 100).toFixed(0)}%`, b.load.split(' ')[0]!, `${b.taskTrouble.stickyTimeouts}/${b.taskTrouble.runTimeouts}, ${b.taskTrouble.failed}`]);
    }
  }
  console.log(`\n${RUNS} runs of a ${STEPS}-step workflow started at once:\n${table(rows)}`);

  const goalRows = [['goal', 'hand-written', 'Revo', 'Revo / hand-written', 'goal']];
  for (const [workers, byForm] of results) {
    const h = byForm.get(hand!)!;
    const r = byForm.get(revo!)!;
    goalRows.push([`throughput, ${workers} worker${workers === 1 ? '' : 's'}`, h.throughput.toFixed(1), r.throughput.toFixed(1), ratio(r.throughput, h.throughput), atLeast(r.throughput / h.throughput, GOALS.throughput)]);
    goalRows.push([`worker CPU per run, ${workers} worker${workers === 1 ? '' : 's'}`, cpu(h.workerCpuPerRun), cpu(r.workerCpuPerRun), ratio(r.workerCpuPerRun, h.workerCpuPerRun), atMost(r.workerCpuPerRun / h.workerCpuPerRun, GOALS.cpu)]);
  }
  const one = results.get(1);
  const two = results.get(2);
  if (one && two) {
    const speedUp = (form: Form) => two.get(form)!.throughput / one.get(form)!.throughput;
    goalRows.push(['speed-up, 1 → 2 workers', `${speedUp(hand!).toFixed(2)}×`, `${speedUp(revo!).toFixed(2)}×`, ratio(speedUp(revo!), speedUp(hand!)), atLeast(speedUp(revo!) / speedUp(hand!), 1)]);
  }
  goalRows.push(['throughput vs Zigflow', 'n/a', 'n/a', 'n/a', 'not measured: Zigflow is not served by the Go module proxy here']);
  console.log(`\n${table(goalRows)}`);
  console.log('(server, workers and this client share the machine; "machine busy" counts every process on it, other users\' too)');
}

// ---------------------------------------------------------------------------
// Signal latency.

/** A Revo run that takes `count` signals `go`, one `wait` step each (one more than sent, so that it is still running at the end). */
function waitingBundle(count: number) {
  const lines = [`revo: 1\nname: bench-signals\ndescription: Generated by bench/scale.ts.\nsignals:\n  go: { description: one round of the signal benchmark }\nsteps:\n`];
  for (let i = 1; i <= count; i++) lines.push(`  - { id: w${i}, wait: { signal: go } }\n`);
  return bundleOf('bench-signals', lines.join(''));
}

/** Runs a command to its exit; its spawn and exit times (epoch ms). */
function timedCommand(command: string, argv: string[], cwd: string): Promise<{ spawnedAt: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const started = performance.now();
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve({ spawnedAt, ms: performance.now() - started }) : reject(new Error(`${command} ${argv.join(' ')} exited ${code}:\n${errors}`))));
  });
}

async function signalLatency(client: Client, address: string, temporalCli: string): Promise<void> {
  const [, revo] = forms('');
  const worker = await readyWorker(revo!, address);
  const cwd = mkdtempSync(join(tmpdir(), 'revo-bench-signal-'));
  try {
    const workflowId = `scale-signals-${process.pid}`;
    const handle = await startRun(client, { address, namespace: 'default', taskQueue: revo!.taskQueue }, { bundle: waitingBundle(2 * (SIGNALS + 1) + 1), input: {}, trigger: { by: 'bench', input: {} }, workflowId });
    const senders = {
      'revo signal': () => timedCommand(process.execPath, [REVO_BIN, 'signal', workflowId, 'go', '--address', address, '--task-queue', revo!.taskQueue], cwd),
      'temporal workflow signal': () => timedCommand(temporalCli, ['workflow', 'signal', '--address', address, '--workflow-id', workflowId, '--name', 'go', '--input', 'null'], cwd),
    };
    type Sender = keyof typeof senders;
    const sends: { sender: Sender; spawnedAt: number; ms: number }[] = [];
    progress(`signal latency: ${SIGNALS} rounds of each sender, plus one warm-up round`);
    for (let round = 0; round <= SIGNALS; round++) {
      for (const sender of (round % 2 === 0 ? ['revo signal', 'temporal workflow signal'] : ['temporal workflow signal', 'revo signal']) as Sender[]) {
        const sent = await senders[sender]();
        if (round > 0) sends.push({ sender, ...sent });
        else sends.push({ sender, spawnedAt: NaN, ms: NaN }); // warm-up, paired with its event below but not counted
      }
    }
    // The server's time of each signal, in the order sent (each send ends before the next).
    const history = await handle.fetchHistory();
    const received = (history.events ?? [])
      .filter((e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes)
      .map((e) => Number(e.eventTime!.seconds) * 1000 + Math.floor((e.eventTime!.nanos ?? 0) / 1e6));
    if (received.length !== sends.length) throw new Error(`the run's history has ${received.length} signals or updates, not the ${sends.length} sent`);
    const rows = [['sender', 'spawn → exit (median)', 'spawn → server event (median)']];
    const figures = new Map<Sender, number>();
    for (const sender of Object.keys(senders) as Sender[]) {
      const mine = sends.map((s, i) => ({ ...s, at: received[i]! })).filter((s) => s.sender === sender && !Number.isNaN(s.ms));
      const exit = median(mine.map((s) => s.ms));
      figures.set(sender, exit);
      rows.push([sender, `${exit.toFixed(0)} ms`, `${median(mine.map((s) => s.at - s.spawnedAt)).toFixed(0)} ms`]);
    }
    const revoMs = figures.get('revo signal')!;
    const cliMs = figures.get('temporal workflow signal')!;
    rows.push(['revo / temporal', ratio(revoMs, cliMs), '']);
    console.log(`\nSignal latency on one waiting run (${SIGNALS} rounds, one Revo worker), goal ≤ ${GOALS.signal.toFixed(2)}×: ${revoMs / cliMs <= GOALS.signal ? '✓' : '✗'}\n${table(rows)}`);
    console.log(loadLine('after the signals'));
    await handle.terminate('bench done');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
    await stopWorkers([worker]);
  }
}

const atLeast = (value: number, goal: number): string => `≥ ${goal.toFixed(2)}× ${value >= goal - 1e-9 ? '✓' : '✗'}`;
const atMost = (value: number, goal: number): string => `≤ ${goal.toFixed(2)}× ${value <= goal + 1e-9 ? '✓' : '✗'}`;

async function main(): Promise<void> {
  console.log(
    `Revo vs a hand-written TypeScript workflow on Temporal: ${args.only === 'signal' ? '' : `${RUNS} runs of ${STEPS} steps at once on ${WORKER_COUNTS.join(', ')} worker processes`}${args.only ? '' : '; '}${args.only === 'scale' ? '' : `signal latency (${SIGNALS} rounds)`}.\n` +
      `Node ${process.version}, ${platform()} ${release()}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown model'}).`,
  );
  console.log(loadLine('before'));
  console.log('Zigflow: not benchmarked — no zigflow module is served by the Go module proxy on this machine.');
  if (args.only !== 'signal') {
    const dir = mkdtempSync(join(tmpdir(), 'revo-bench-scale-'));
    try {
      const { code } = await bundleWorkflowCode({
        workflowsPath: fileURLToPath(new URL('./temporal-handwritten-workflow.js', import.meta.url)),
        logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
      });
      const handwrittenCode = join(dir, 'handwritten-workflow.js');
      writeFileSync(handwrittenCode, code);
      await scale(handwrittenCode);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (args.only !== 'scale') {
    await onFreshServer(async (client, server) => {
      if (server.cli) await signalLatency(client, server.address, server.cli);
      else console.log('\nSignal latency: not measured (no temporal CLI binary to compare with).');
    });
  }
  console.log(loadLine('after'));
}

await main();
