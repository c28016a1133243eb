import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const INTERPRETER = join(import.meta.dirname, '..', 'interpreter');

/** What interpreter/ may import: its own modules, and pure libraries that run in Temporal's sandbox. */
const ALLOWED_PACKAGES = new Set(['json-logic-js']);

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

describe('interpreter/', () => {
  it('imports nothing from Node, Temporal or the file system (docs/architecture.md)', () => {
    const files = readdirSync(INTERPRETER, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    const offending: string[] = [];
    for (const file of files) {
      const source = readFileSync(join(INTERPRETER, file), 'utf8');
      for (const specifier of importsOf(source)) {
        if (!specifier.startsWith('.') && !ALLOWED_PACKAGES.has(specifier)) offending.push(`${file}: ${specifier}`);
      }
      if (/\b(process|require|Buffer|setTimeout|Date\.now|new Date\(|Math\.random)\b/.test(source.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) {
        offending.push(`${file}: uses a Node global, the clock or randomness`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('recognizes an offending import (the rule above can fail)', () => {
    expect(importsOf("import { readFile } from 'node:fs';\nimport x from './model.js';")).toEqual(['node:fs', './model.js']);
  });
});
