/** Running the real CLI as separate processes, as a user in two terminals would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileJournal, readJournal, type JournalEntry } from '../src/local/journal.js';
import { freePort } from '../src/temporal/reachable.js';

export { freePort };

const BIN = join(import.meta.dirname, '..', 'bin', 'revo.js');

/**
 * Rewrites a run's journal as a Revo would have written it with other entries: every
 * line checked, and the state file's witness taken away (as after a crash before it was
 * written), so readers take it for a journal that was never damaged.
 */
export function rewriteJournal(journal: string, change: (entries: JournalEntry[]) => JournalEntry[]): void {
  const entries = change(readJournal(journal).entries);
  rmSync(journal);
  const rewritten = FileJournal.create(journal);
  for (const entry of entries) rewritten.append(entry, false);
  rewritten.close();
  rmSync(journal.replace(/\.jsonl$/, '.state.json'), { force: true });
}

/** A temp dir with the given files, its own REVO_HOME, and $EFFECTS for activities to append to. */
export function workspace(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'revo-proc-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const env: NodeJS.ProcessEnv & { REVO_HOME: string; EFFECTS: string } = { ...process.env, NO_COLOR: '1', REVO_HOME: join(dir, '.revo'), EFFECTS: join(dir, 'effects.log') };
  const revo = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8' });
  const effects = () => (existsSync(env.EFFECTS) ? readFileSync(env.EFFECTS, 'utf8').trim().split('\n') : []);
  return { dir, env, revo, effects };
}

export type Workspace = ReturnType<typeof workspace>;

export async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RevoProcessResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Still running at `timeoutMs`: killed, and counted as a hang by the fault trials. */
  hung: boolean;
}

/** Runs `revo args` in the background; SIGKILLs it after `killAfterMs` (a fault), or at `timeoutMs` (a hang). */
export function revoAsync(ws: Workspace, args: string[], options: { killAfterMs?: number; timeoutMs?: number } = {}): Promise<RevoProcessResult> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ws.dir, env: ws.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let hung = false;
  const kill = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  const hang = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      clearTimeout(kill);
      clearTimeout(hang);
      resolve({ status, signal, stdout, stderr, hung });
    }),
  );
}

/** Starts `revo worker` in the workspace (on `taskQueue`, or the default one); resolves once it says it is ready. */
export async function startWorkerProcess(ws: Workspace, address: string, taskQueue?: string, extra: string[] = []): Promise<{ child: ChildProcess; stderr: () => string }> {
  const queue = taskQueue === undefined ? [] : ['--task-queue', taskQueue];
  const child = spawn(process.execPath, [BIN, 'worker', '--activities', 'activities.mjs', '--address', address, ...queue, ...extra], { cwd: ws.dir, env: ws.env });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await until(() => stderr.includes('worker ready') || child.exitCode !== null, `the worker to be ready`, 30_000);
  if (child.exitCode !== null) throw new Error(`revo worker exited with ${child.exitCode}: ${stderr}`);
  return { child, stderr: () => stderr };
}

/** Starts `revo run` in the background; resolves its run id once it has printed it. */
export async function startRun(ws: Workspace, args: string[]) {
  const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: ws.dir, env: ws.env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until(() => /run (\S+) started/.test(stderr), 'the run id');
  const runId = /run (\S+) started/.exec(stderr)![1]!;
  return { child, runId, exited, stderr: () => stderr, stdout: () => stdout };
}


/** A workflow with activities, a durable sleep and a signal wait: the crash and signal tests' subject. */
export const WORKFLOW = `revo: 1
name: crashy
signals:
  go: { schema: { type: object, required: [n], properties: { n: { type: integer } } } }
steps:
  - { id: a, call: test.effect, with: { step: a } }
  - { id: b, call: test.effect, with: { step: b } }
  - { id: nap, sleep: 1s }
  - { id: c, call: test.effect, with: { step: c } }
  - id: gate
    wait: { signal: go }
    result: go
  - { id: d, call: test.effect, with: { step: d, n: { var: go.n } } }
output: { n: { var: go.n } }
`;

/** Test activities: appends `start <step>` and, 300 ms later, `done <step>` to $EFFECTS: the side effects we count. */
export const ACTIVITIES = `import { appendFileSync } from 'node:fs';
export const effect = {
  name: 'test.effect',
  input: { type: 'object', required: ['step'], properties: { step: { type: 'string' }, n: { type: 'integer' } } },
  output: { type: 'object' },
  async run(input) {
    appendFileSync(process.env.EFFECTS, 'start ' + input.step + '\\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(process.env.EFFECTS, 'done ' + input.step + '\\n');
    return { step: input.step };
  },
};
`;


/** A workflow that waits for an `approve` signal between two activities, with a query on the approval. */
export const APPROVAL_WORKFLOW = `revo: 1
name: approval
signals:
  approve: { schema: { type: object, required: [by], properties: { by: { type: string } } } }
queries:
  approver: { var: approval.by }
steps:
  - { id: a, call: test.effect, with: { step: a } }
  - { id: w, wait: { signal: approve, timeout: 1m }, result: approval }
  - { id: b, call: test.effect, with: { step: b } }
output: { by: { var: approval.by } }
`;

