/**
 * An activities module written anywhere on disk imports `revo` (no node_modules/revo
 * above it) and gets the Revo that runs it: the same instance, so the engine recognises
 * the module's WorkflowError (subclasses included) with `instanceof`. See
 * src/activities/revo-resolution.ts. The CLI is the built one (`npm run build`, done by
 * `npm test`), spawned in a temp dir outside the repository, as a user would run it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspace } from './process-helpers.js';

/**
 * Calls demo.hello twice: once to greet, once with `who: nobody`, which the module
 * answers with a WorkflowError subclass of type NotFound. The engine keeps that type only
 * if `thrown instanceof WorkflowError` holds (its duck-typed fallback wants the name
 * "WorkflowError"); otherwise the catch sees ActivityError.
 */
const FLOW = `revo: 1
name: greet
steps:
  - { id: hi, call: demo.hello, with: { who: world }, result: hi }
  - { id: init, set: { failedWith: none } }
  - id: lookup
    try:
      - { id: missing, call: demo.hello, with: { who: nobody }, retry: { maxAttempts: 1 } }
    catch:
      - as: failure
        steps:
          - { id: note, set: { failedWith: { var: failure.type } } }
output:
  greeting: { var: hi.greeting }
  failedWith: { var: failedWith }
`;

const SCHEMAS = `
  input: { type: 'object', required: ['who'], properties: { who: { type: 'string' } } },
  output: { type: 'object', required: ['greeting'], properties: { greeting: { type: 'string' } } },`;

/** The module body after its import of defineActivity and WorkflowError. */
const BODY = (from: string) => `
class NoSuchPerson extends WorkflowError {
  constructor(who) { super('NotFound', who + ' is not here'); Object.defineProperty(this, 'name', { value: 'NoSuchPerson' }); }
}
export const hello = defineActivity({
  name: 'demo.hello',${SCHEMAS}
  async run(input) {
    if (input.who === 'nobody') throw new NoSuchPerson(input.who);
    return { greeting: 'hello ' + input.who + ' from ${from}' };
  },
});
`;

const TS_MODULE = `import { defineActivity, WorkflowError } from 'revo';
import type { ActivityDefinition } from 'revo';
${BODY('ts').replace('constructor(who)', 'constructor(who: string)').replace('run(input)', 'run(input: { who: string })')}
export const all: ActivityDefinition[] = [hello as ActivityDefinition];
`;
const MJS_MODULE = `import { defineActivity, WorkflowError } from 'revo';\n${BODY('mjs')}`;
const CJS_MODULE = `const { defineActivity, WorkflowError } = require('revo');\n${BODY('cjs').replace('export const hello =', 'exports.hello =')}`;

function runWith(files: Record<string, string>, activities: string) {
  const ws = workspace({ 'flow.yaml': FLOW });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(ws.dir, name)), { recursive: true });
    writeFileSync(join(ws.dir, name), text);
  }
  const result = ws.revo(['run', 'flow.yaml', '--activities', activities, '--json']);
  return { ...result, record: () => JSON.parse(result.stdout) as { status: string; output: Record<string, unknown> } };
}

function expectRunWithRunningRevo(result: ReturnType<typeof runWith>, from: string) {
  expect(result.stderr).not.toMatch(/Cannot find (module|package)/);
  expect(result.status, result.stderr).toBe(0);
  const record = result.record();
  expect(record.status).toBe('completed');
  expect(record.output).toEqual({ greeting: `hello world from ${from}`, failedWith: 'NotFound' });
}

describe("an activities module outside any project imports 'revo'", () => {
  it('TypeScript, in a directory without package.json (tsx loads it as CommonJS)', () => {
    expectRunWithRunningRevo(runWith({ 'acts.ts': TS_MODULE }, 'acts.ts'), 'ts');
  });

  it('TypeScript, in a "type": "module" package (tsx loads it as ESM)', () => {
    const files = { 'esm/package.json': '{ "type": "module" }', 'esm/acts.ts': TS_MODULE };
    expectRunWithRunningRevo(runWith(files, 'esm/acts.ts'), 'ts');
  });

  it('JavaScript .mjs', () => {
    expectRunWithRunningRevo(runWith({ 'acts.mjs': MJS_MODULE }, 'acts.mjs'), 'mjs');
  });

  it("CommonJS .cjs with require('revo')", () => {
    expectRunWithRunningRevo(runWith({ 'acts.cjs': CJS_MODULE }, 'acts.cjs'), 'cjs');
  });

  it("revo/<subpath> resolves through the package's exports", () => {
    const module = `import schema from 'revo/schema' with { type: 'json' };\n${MJS_MODULE.replace("'hello ' + input.who + ' from mjs'", "'hello ' + input.who + ' from ' + typeof schema.properties")}`;
    expectRunWithRunningRevo(runWith({ 'acts.mjs': module }, 'acts.mjs'), 'object');
  });

  it('a project with its own node_modules/revo keeps it', () => {
    // A stand-in "revo" whose defineActivity marks what it defines.
    const own = {
      'project/node_modules/revo/package.json': '{ "name": "revo", "type": "module", "exports": "./index.js" }',
      'project/node_modules/revo/index.js': `export class WorkflowError extends Error { name = 'WorkflowError'; constructor(type, message) { super(message); this.type = type; } }
export const defineActivity = (d) => ({ ...d, run: async (input) => ({ greeting: (await d.run(input)).greeting + ' via own revo' }) });
`,
      'project/acts.mjs': MJS_MODULE,
      'project/acts.ts': TS_MODULE,
    };
    for (const module of ['project/acts.mjs', 'project/acts.ts']) {
      const result = runWith(own, module);
      expect(result.status, result.stderr).toBe(0);
      // The stand-in's WorkflowError is not the engine's: its subclass's type is lost, as it should be.
      expect(result.record().output).toEqual({ greeting: `hello world from ${module.split('.')[1]} via own revo`, failedWith: 'ActivityError' });
    }
  });
});
