import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboxReader, sendToInbox, type InboxMessage } from '../../src/local/inbox.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INBOX_MODULE = fileURLToPath(new URL('../../src/local/inbox.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revo-inbox-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function signal(id: string, payload: unknown = null): InboxMessage {
  return { kind: 'signal', id, name: 'approve', payload, sentAt: 1 };
}

/** Resolves when `done()` holds, checking every few ms; fails after `ms`. */
async function until(done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs a TypeScript snippet in a separate node process; resolves with its exit code. */
function runNode(script: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code));
  });
}

describe('sendToInbox and InboxReader', () => {
  it('reads nothing from a missing inbox', () => {
    const reader = new InboxReader(join(dir, 'nope', 'r.inbox.jsonl'));
    expect(reader.readNew()).toEqual([]);
    expect(reader.offset).toBe(0);
  });

  it('returns each message once, with the byte offset after its line', () => {
    const file = join(dir, 'runs', 'r.inbox.jsonl');
    sendToInbox(file, signal('s1', { by: 'ana' }));
    sendToInbox(file, { kind: 'cancel', id: 'c1', reason: 'no longer needed ✓', sentAt: 2 });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);

    const reader = new InboxReader(file);
    const first = reader.readNew();
    const afterFirst = Buffer.byteLength(lines[0]! + '\n');
    expect(first).toEqual([
      { message: signal('s1', { by: 'ana' }), end: afterFirst },
      { message: { kind: 'cancel', id: 'c1', reason: 'no longer needed ✓', sentAt: 2 }, end: statSync(file).size },
    ]);
    expect(reader.offset).toBe(statSync(file).size);
    expect(reader.readNew()).toEqual([]);

    sendToInbox(file, signal('s2'));
    expect(reader.readNew().map((m) => m.message.id)).toEqual(['s2']);

    // A resumed run starts from the offset it journalled.
    expect(new InboxReader(file, afterFirst).readNew().map((m) => m.message.id)).toEqual(['c1', 's2']);
  });

  it('leaves a partial last line for later and skips lines that are not messages', () => {
    const file = join(dir, 'r.inbox.jsonl');
    sendToInbox(file, signal('s1'));
    appendFileSync(file, 'not json\n{"kind":"signal","id":"x"}\n{"kind":"signal","id":"s2","na');
    const reader = new InboxReader(file);
    expect(reader.readNew().map((m) => m.message.id)).toEqual(['s1']);
    const offset = reader.offset;
    expect(offset).toBe(readFileSync(file, 'utf8').lastIndexOf('\n') + 1);

    appendFileSync(file, 'me":"approve","payload":1,"sentAt":3}\n');
    expect(reader.readNew()).toEqual([{ message: { kind: 'signal', id: 's2', name: 'approve', payload: 1, sentAt: 3 }, end: statSync(file).size }]);
  });

  it('loses and interleaves nothing when several processes send at once while a reader watches', async () => {
    const file = join(dir, 'runs', 'r.inbox.jsonl');
    const senders = 4;
    const perSender = 150;
    const reader = new InboxReader(file);
    const received: InboxMessage[] = [];
    let wakeUps = 0;
    const stop = reader.watch(() => {
      wakeUps++;
      for (const { message } of reader.readNew()) received.push(message);
    });
    try {
      // Payloads of several KB make a torn or interleaved write visible as a broken line.
      const script = (sender: number): string => `
        import { sendToInbox } from ${JSON.stringify(INBOX_MODULE)};
        for (let i = 0; i < ${perSender}; i++) {
          sendToInbox(${JSON.stringify(file)}, { kind: 'signal', id: '${sender}-' + i, name: 'n', payload: '${sender}'.repeat(8000), sentAt: Date.now() });
        }
      `;
      const codes = await Promise.all(Array.from({ length: senders }, (_, s) => runNode(script(s))));
      expect(codes).toEqual(Array(senders).fill(0));
      await until(() => received.length >= senders * perSender);
    } finally {
      stop();
    }
    expect(received).toHaveLength(senders * perSender);
    expect(wakeUps).toBeGreaterThan(0);
    for (let s = 0; s < senders; s++) {
      const mine = received.filter((m) => m.id.startsWith(`${s}-`));
      expect(mine.map((m) => m.id)).toEqual(Array.from({ length: perSender }, (_, i) => `${s}-${i}`)); // each sender's order kept
      expect(mine.every((m) => m.kind === 'signal' && m.payload === String(s).repeat(8000))).toBe(true);
    }
    expect(reader.offset).toBe(statSync(file).size);
  });

  it('watches an inbox whose directory does not exist yet, and stops calling after stop()', async () => {
    const file = join(dir, 'later', 'r.inbox.jsonl');
    const reader = new InboxReader(file);
    let calls = 0;
    const stop = reader.watch(() => calls++);
    try {
      await new Promise((r) => setTimeout(r, 150));
      expect(calls).toBe(0);
      mkdirSync(join(dir, 'later'));
      sendToInbox(file, signal('s1'));
      await until(() => calls > 0);
      expect(reader.readNew().map((m) => m.message.id)).toEqual(['s1']);
    } finally {
      stop();
    }
    const before = calls;
    sendToInbox(file, signal('s2'));
    await new Promise((r) => setTimeout(r, 250));
    expect(calls).toBe(before);
  });

  it('does not wake the reader over and over for a partial line it cannot read yet', async () => {
    const file = join(dir, 'r.inbox.jsonl');
    appendFileSync(file, '{"kind":"cancel","id":"c1","rea');
    const reader = new InboxReader(file);
    let calls = 0;
    const stop = reader.watch(() => {
      calls++;
      reader.readNew();
    });
    await new Promise((r) => setTimeout(r, 550));
    stop();
    expect(calls).toBeLessThanOrEqual(1);
  });
});
