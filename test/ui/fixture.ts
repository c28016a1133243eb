/**
 * A `revo ui` server over a fresh run store with one run of each kind the page must
 * handle: a failed checkout (its `ship` step fails until `shipping.works`), one waiting
 * for a signal with a schema, one waiting forever (to cancel), a completed one, and one
 * whose input, log and error try to break out of the page. The runs are driven by this
 * process's Revo instance, as `revo ui` drives the runs it starts; the page is the one
 * scripts/bundle-ui.js builds, bundled afresh here so it matches the sources.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineActivity, Revo, WorkflowError, type Json, type RunHandle } from '../../src/index.js';
import { startUi, type UiServer } from '../../src/ui/server.js';
import { bundleUi } from '../../scripts/bundle-ui.js';
import { HOSTILE } from '../history-html/fixture.js';

export { HOSTILE };

const WORKFLOWS: Record<string, string> = {
  'checkout.yaml': `revo: 1
name: checkout
version: "2.0.1"
steps:
  - { id: reserve, call: test.count, with: { step: reserve } }
  - { id: charge, call: test.count, with: { step: charge } }
  - { id: ship, call: test.ship, with: { carrier: any } }
output: { shipped: true }
`,
  'approval.yaml': `revo: 1
name: approval
signals:
  approve:
    description: A manager approves or refuses the order.
    schema:
      type: object
      required: [by, approved]
      additionalProperties: false
      properties:
        by: { type: string, minLength: 2, description: who decides }
        approved: { type: boolean }
        note: { type: string }
steps:
  - { id: prepare, call: test.count, with: { step: prepare } }
  - { id: gate, wait: { signal: approve }, result: approval }
output: { approved: { var: approval.approved }, by: { var: approval.by } }
`,
  'forever.yaml': `revo: 1
name: forever
signals:
  never: { schema: { type: object } }
steps:
  - { id: hold, wait: { signal: never } }
`,
  'hello.yaml': `revo: 1
name: hello
steps:
  - { id: greet, call: test.count, with: { step: greet } }
`,
  'hostile.yaml': `revo: 1
name: hostile
input: { type: object }
steps:
  - { id: say, call: core.log, with: { message: { var: input.note } } }
  - { id: break, call: test.hostile, with: { note: { var: input.note } } }
`,
};

/** How many times each counted step's activity ran. */
export const calls = new Map<string, number>();
export const shipping = { works: false };

const count = defineActivity({
  name: 'test.count',
  input: { type: 'object', required: ['step'], properties: { step: { type: 'string' } } },
  output: { type: 'object' },
  run: async (input) => {
    const { step } = input as { step: string };
    calls.set(step, (calls.get(step) ?? 0) + 1);
    return { step };
  },
});
const ship = defineActivity({
  name: 'test.ship',
  input: { type: 'object' },
  output: { type: 'object' },
  run: async () => {
    if (!shipping.works) throw new WorkflowError('Unavailable', 'no carrier today', { nonRetryable: true });
    return { tracking: 'TRK-1' };
  },
});
const hostile = defineActivity({
  name: 'test.hostile',
  input: { type: 'object', properties: { note: { type: 'string' } } },
  output: { type: 'object' },
  run: async ({ note }) => {
    throw new WorkflowError('Hostile', String(note), { nonRetryable: true });
  },
});

export interface UiFixture {
  revo: Revo;
  ui: UiServer;
  dir: string;
  runs: { failed: string; waiting: string; forever: string; completed: string; hostile: string };
  start(file: string, input?: Json): Promise<RunHandle>;
  close(): Promise<void>;
}

export async function uiFixture(): Promise<UiFixture> {
  await bundleUi();
  const dir = mkdtempSync(join(tmpdir(), 'revo-ui-'));
  for (const [name, text] of Object.entries(WORKFLOWS)) writeFileSync(join(dir, name), text);
  const revo = new Revo({ home: join(dir, '.revo'), activities: [count, ship, hostile] });
  const start = (file: string, input: Json = {}) => revo.start(join(dir, file), { input, trigger: 'test' });
  const ended = async (file: string, input?: Json) => {
    const run = await start(file, input);
    await run.outcome();
    return run.runId;
  };
  const waiting = async (file: string) => {
    const run = await start(file);
    for await (const event of run.events()) if (event.type === 'step.started' && event.kind === 'wait') break;
    return run.runId;
  };
  const runs = {
    completed: await ended('hello.yaml'),
    hostile: await ended('hostile.yaml', { note: HOSTILE }),
    failed: await ended('checkout.yaml'),
    forever: await waiting('forever.yaml'),
    waiting: await waiting('approval.yaml'),
  };
  shipping.works = true; // a re-run of the checkout now gets through
  const ui = await startUi(revo, { port: 0, listIntervalMs: 200 });
  return {
    revo,
    ui,
    dir,
    runs,
    start,
    async close() {
      await ui.close();
      await revo.close();
    },
  };
}
