/**
 * The TypeScript definition model (interpreter/model.ts) and the JSON Schema
 * (schema/workflow.schema.json) describe the same language: types generated from
 * the schema must be exactly the model's types. A field added, removed, renamed,
 * made required or retyped on one side only fails this test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SCHEMA_PATH } from '../src/paths.js';

const run = promisify(execFile);

/** Model type ↔ the type json-schema-to-typescript names after the schema definition (or title). */
const PAIRS: [model: string, generated: string][] = [
  ['WorkflowDefinition', 'RevoWorkflow'],
  ['Step', 'Step'],
  ['CallStep', 'CallStep'],
  ['SetStep', 'SetStep'],
  ['SwitchStep', 'SwitchStep'],
  ['SwitchCase', 'SwitchCase'],
  ['ParallelStep', 'ParallelStep'],
  ['ParallelBranch', 'ParallelBranch'],
  ['ForeachStep', 'ForeachStep'],
  ['WhileStep', 'WhileStep'],
  ['SleepStep', 'SleepStep'],
  ['WaitStep', 'WaitStep'],
  ['ChildStep', 'ChildStep'],
  ['TryStep', 'TryStep'],
  ['CatchClause', 'CatchClause'],
  ['FailStep', 'FailStep'],
  ['ReturnStep', 'ReturnStep'],
  ['RetryPolicy', 'RetryPolicy'],
  ['CallOptions', 'CallOptions'],
  ['Priority', 'Priority'],
  ['SignalDeclaration', 'SignalDeclaration'],
  ['Schedule', 'Schedule'],
];

/**
 * The schema as TypeScript sees it. Slots that hold any JSON (templates,
 * expressions, user JSON Schemas) become the model's own `Json` / `JsonSchema`
 * types; the schedule's "cron XOR every" rule, which the model types do not encode,
 * is left out.
 */
function typingView(schema: Record<string, any>): JSONSchema {
  const copy = structuredClone(schema);
  for (const name of ['Expression', 'Template', 'Json', 'ExpressionObject']) copy.definitions[name] = { tsType: 'ModelJson' };
  copy.definitions.JsonSchema = { tsType: 'ModelJsonSchema' };
  delete copy.definitions.Schedule.oneOf;
  return copy as JSONSchema;
}

const dir = mkdtempSync(join(tmpdir(), 'revo-schema-types-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model types and schema', () => {
  it('agree exactly, type by type', async () => {
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, any>;
    const model = join(PACKAGE_ROOT, 'interpreter', 'model.js');
    const generated = await compile(typingView(schema), 'WorkflowDefinition', {
      bannerComment: '',
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      unreachableDefinitions: true,
      format: false,
    });
    writeFileSync(
      join(dir, 'generated.ts'),
      `import type { Json as ModelJson, JsonSchema as ModelJsonSchema } from ${JSON.stringify(model)};\n${generated}`,
    );
    const lines = [
      `import type * as M from ${JSON.stringify(model)};`,
      `import type * as G from './generated.js';`,
      'type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;',
    ];
    const firstPairLine = lines.length + 1;
    for (const [m, g] of PAIRS) lines.push(`export const ${m}: Equals<M.${m}, G.${g}> = true;`);
    writeFileSync(join(dir, 'check.ts'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: [], skipLibCheck: true },
        files: ['check.ts'],
      }),
    );

    const tsc = join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
      () => ({ output: '' }),
      (err: { stdout?: string; stderr?: string }) => ({ output: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
    );
    // Name the pairs that differ, so a failure says which type drifted.
    const drifted = [...result.output.matchAll(/check\.ts\((\d+),\d+\)/g)].map((m) => PAIRS[Number(m[1]) - firstPairLine]?.[0] ?? `line ${m[1]}`);
    expect({ drifted, output: drifted.length > 0 || result.output === '' ? '' : result.output }).toEqual({ drifted: [], output: '' });
  }, 120_000);
});
