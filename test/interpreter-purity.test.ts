import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Code that runs inside Temporal's workflow sandbox (and the local engine): what each folder may import. */
const PURE_FOLDERS = [
  // The interpreter: only its own modules and JSON Logic.
  { folder: 'interpreter', packages: new Set(['json-logic-js']), within: ['interpreter'] },
  // The engine core and the workflow: the interpreter, the SDK's sandbox-safe packages, ajv for schema checks,
  // the OpenTelemetry API for spans (no-op unless the worker traces) and the SDK's tracing interceptors.
  { folder: 'src/sandboxed', packages: new Set(['json-logic-js', 'ajv', '@temporalio/workflow', '@temporalio/common', '@opentelemetry/api', '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors.js']), within: ['interpreter', 'src/sandboxed'] },
];

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

function offences(folder: string, packages: Set<string>, within: string[], clockAllowed: boolean): string[] {
  const dir = join(ROOT, folder);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(0);
  const offending: string[] = [];
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');
    for (const specifier of importsOf(source)) {
      if (specifier.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(join(dir, file)), specifier));
        if (!within.some((w) => target.startsWith(`${w}/`))) offending.push(`${folder}/${file}: imports ${target}, outside ${within.join(' and ')}`);
      } else if (!packages.has(specifier)) offending.push(`${folder}/${file}: ${specifier}`);
    }
    const code = source.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '');
    // The workflow sandbox makes Date.now deterministic; the interpreter must not read the clock at all.
    const forbidden = clockAllowed ? /\b(process|require|Buffer|Math\.random)\b/ : /\b(process|require|Buffer|setTimeout|Date\.now|new Date\(|Math\.random)\b/;
    if (forbidden.test(code)) offending.push(`${folder}/${file}: uses a Node global${clockAllowed ? '' : ', the clock'} or randomness`);
  }
  return offending;
}

describe('code that runs in the workflow sandbox (docs/architecture.md)', () => {
  it('interpreter/ imports nothing from Node, Temporal or the file system', () => {
    expect(offences('interpreter', PURE_FOLDERS[0]!.packages, PURE_FOLDERS[0]!.within, false)).toEqual([]);
  });

  it('src/sandboxed/ (the engine core and the workflow) imports only the interpreter, itself and sandbox-safe packages', () => {
    expect(offences('src/sandboxed', PURE_FOLDERS[1]!.packages, PURE_FOLDERS[1]!.within, true)).toEqual([]);
  });

  it('nothing outside src/cli/ imports from it: the CLI is a shell over the library', () => {
    const offending: string[] = [];
    for (const folder of ['src', 'interpreter']) {
      for (const file of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
        const path = join(ROOT, folder, file);
        if (relative(ROOT, path).startsWith('src/cli/')) continue;
        for (const specifier of importsOf(readFileSync(path, 'utf8'))) {
          if (specifier.startsWith('.') && relative(ROOT, resolve(dirname(path), specifier)).startsWith('src/cli/')) offending.push(`${relative(ROOT, path)}: ${specifier}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('recognizes an offending import (the rule above can fail)', () => {
    expect(importsOf("import { readFile } from 'node:fs';\nimport x from './model.js';")).toEqual(['node:fs', './model.js']);
  });
});
