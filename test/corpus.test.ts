/**
 * A corpus of broken workflow files: every one must give at least one clear,
 * positioned diagnostic, without throwing, hanging or polluting prototypes.
 * Small cases live in test/fixtures/broken/; large or binary ones are generated here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFile, loadText } from '../src/load/load.js';
import type { Diagnostic } from '../src/validate/diagnostic.js';
import { FORMATS } from '../src/validate/format/index.js';
import { validateSources } from './helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'broken');

interface Case {
  /** A substring of (or pattern for) the message of the diagnostic that explains the problem. */
  message: string | RegExp;
  /** `line:col` where that diagnostic starts. */
  at: string;
  rule?: string;
  severity?: Diagnostic['severity'];
}

/** Every file in test/fixtures/broken/, with what it must report. */
const FIXTURE_CASES: Record<string, Case> = {
  'bad-indentation.yaml': { rule: 'yaml', at: '6:1', message: 'Sequence item without - indicator' },
  'unclosed-quote.yaml': { rule: 'yaml', at: '2:7', message: 'the quoted string that starts here is never closed (missing its closing ")' },
  'unclosed-bracket.yaml': { rule: 'yaml', at: '5:24', message: 'end with a ]' },
  'tab-indentation.yaml': { rule: 'yaml', at: '4:1', message: 'Tabs are not allowed as indentation' },
  'wrong-types.yaml': { rule: 'schema', at: '8:20', message: 'must be an integer' },
  'typo-key.yaml': { rule: 'schema', at: '6:5', message: 'did you mean `with`?' },
  'alias-bomb.yaml': { rule: 'limits', at: '16:11', message: 'aliases expand to too many nodes' },
  'self-alias.yaml': { rule: 'yaml', at: '5:12', message: 'refers to a node that contains it' },
  'proto-key.yaml': { rule: 'forbidden-key', at: '6:7', message: 'the key `__proto__` is not allowed' },
  'constructor-key.yaml': { rule: 'forbidden-key', at: '7:7', message: 'the key `constructor` is not allowed' },
  'prototype-key.yaml': { rule: 'forbidden-key', at: '3:1', message: 'the key `prototype` is not allowed' },
  'duplicate-keys.yaml': { rule: 'yaml', at: '6:5', message: 'each key may appear once' },
  'empty.yaml': { rule: 'yaml', at: '1:1', message: 'the file is empty' },
  'only-comment.yaml': { rule: 'yaml', at: '1:1', message: 'the file is empty' },
  'top-level-list.yaml': { rule: 'schema', at: '1:1', message: 'a workflow file must be a mapping' },
  'top-level-scalar.yaml': { rule: 'schema', at: '1:1', message: 'a workflow file must be a mapping' },
  'multiple-documents.yaml': { rule: 'yaml', at: '6:1', message: 'more than one YAML document' },
  'not-json.yaml': { rule: 'yaml', at: '5:17', message: 'has no JSON equivalent' },
  'custom-tag.yaml': { rule: 'yaml', at: '5:15', message: 'unknown tag: !secret; a workflow holds plain JSON values' },
  'complex-key.yaml': { rule: 'yaml', at: '6:9', message: 'mapping keys must be plain strings' },
};

/** A deterministic byte generator (a linear congruential one), so the junk is the same every run. */
function junkBytes(length: number, seed: number, { nul = false } = {}): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const byte = (state >>> 16) & 0xff;
    bytes[i] = byte === 0 && !nul ? 0x20 : byte;
  }
  if (nul) bytes[Math.floor(length / 2)] = 0;
  return bytes;
}

const STEP = '  - id: step\n    call: core.log\n    with: { message: "a line of a long workflow" }\n';

/** Cases too large, binary or repetitive to commit. */
const GENERATED: Record<string, { text: string } & Case> = {
  'deep-flow-sequences': { text: '['.repeat(100_000), rule: 'limits', at: '1:65', message: 'nesting is too deep' },
  'deep-flow-mappings': { text: '{a: '.repeat(100_000), rule: 'limits', at: '1:257', message: 'nesting is too deep' },
  'deep-compact-sequences': { text: `${'- '.repeat(100_000)}x\n`, rule: 'limits', at: '1:513', message: 'nesting is too deep' },
  'deep-sequence-lines': {
    text: Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}-`).join('\n'),
    rule: 'limits',
    at: '513:513',
    message: 'indented past 512 columns',
  },
  'deep-indented-maps': {
    text: Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
    rule: 'limits',
    at: '514:513',
    message: 'indented past 512 columns',
  },
  'deep-maps-within-indent': {
    text: `revo: 1\n${Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} 1\n`,
    rule: 'limits',
    at: '66:129',
    message: 'nesting is too deep (more than 64 levels)',
  },
  'deep-through-aliases': {
    text: `revo: 1\n${Array.from({ length: 6 }, (_, i) => `a${i}: &a${i} ${'['.repeat(60)}${i === 0 ? '1' : `*a${i - 1}`}${']'.repeat(60)}`).join('\n')}\n`,
    rule: 'limits',
    at: '7:69',
    message: 'aliases nest the definition too deep',
  },
  'two-megabytes': {
    text: `revo: 1\nname: huge\nsteps:\n${STEP.repeat(Math.ceil((2 * 1024 * 1024) / STEP.length))}`,
    rule: 'limits',
    at: '1:1',
    message: 'larger than 1.0 MB',
  },
  'binary-junk': { text: junkBytes(8192, 7).toString('utf8'), rule: 'yaml', at: '1:5', message: 'the file is not text (it contains the control character U+0013)' },
  'binary-junk-with-nul': { text: junkBytes(8192, 11, { nul: true }).toString('utf8'), rule: 'yaml', at: '', message: 'the file is not text' },
  'control-character': { text: 'revo: 1\nname: "bell\x07"\n', rule: 'yaml', at: '2:12', message: 'the control character U+0007' },
  'nul-byte': { text: 'revo: 1\nname: x\0y\n', rule: 'yaml', at: '2:8', message: 'it contains a NUL byte' },
};

const SOURCES: Record<string, string> = {
  ...Object.fromEntries(Object.keys(FIXTURE_CASES).map((name) => [name, readFileSync(join(FIXTURES, name), 'utf8')])),
  ...Object.fromEntries(Object.entries(GENERATED).map(([name, { text }]) => [name, text])),
};
const CASES: Record<string, Case> = { ...FIXTURE_CASES, ...GENERATED };

const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

afterAll(() => {
  // Nothing in the corpus may have reached Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('broken-file corpus', () => {
  it('covers every fixture file', () => {
    expect(readdirSync(FIXTURES).sort()).toEqual(Object.keys(FIXTURE_CASES).sort());
  });

  for (const [name, expected] of Object.entries(CASES)) {
    it(`${name}: one clear, positioned diagnostic`, async () => {
      // Each file alone, as `revo validate <file>` would see it.
      const diagnostics = await validateSources({ [name]: SOURCES[name]! });
      expect(diagnostics.length, 'at least one diagnostic').toBeGreaterThan(0);
      const severity = expected.severity ?? 'error';
      const match = diagnostics.find(
        (d) =>
          d.severity === severity &&
          (expected.rule === undefined || d.rule === expected.rule) &&
          (typeof expected.message === 'string' ? d.message.includes(expected.message) : expected.message.test(d.message)),
      );
      expect(match, JSON.stringify(diagnostics, null, 2)).toBeDefined();
      if (expected.at) expect(`${match!.line}:${match!.col}`).toBe(expected.at);
      for (const d of diagnostics) {
        expect(d.file).toBe(name);
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.col).toBeGreaterThanOrEqual(1);
        // One line that says what is wrong, not a dump of the input.
        expect(d.message.length).toBeLessThanOrEqual(200);
        expect(d.message).not.toContain('\n');
      }
    });
  }

  it('renders every case in every output format', async () => {
    for (const [name, text] of Object.entries(SOURCES)) {
      const diagnostics = await validateSources({ [name]: text });
      const context = { sources: new Map([[name, text]]), color: true, rules: [], filesChecked: 1 };
      for (const format of Object.values(FORMATS)) expect(format(diagnostics, context)).toContain(name);
      const frame = FORMATS.text(diagnostics, { ...context, color: false });
      // Code frames never pass raw control characters (or an input line of megabytes) to the terminal.
      // eslint-disable-next-line no-control-regex
      expect(frame).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      for (const line of frame.split('\n')) expect(line.length).toBeLessThan(400);
    }
  });
});

describe('prototype safety', () => {
  it('never lets __proto__, constructor or prototype keys reach an object', () => {
    const texts = [
      'revo: 1\n__proto__: { polluted: true }\n',
      'revo: 1\n"__proto__": { polluted: true }\n',
      'revo: 1\nsteps: [ { set: { __proto__: { polluted: true } } } ]\n',
      'revo: 1\nbase: &b { polluted: true }\n__proto__: *b\n',
      'revo: 1\nconstructor: { prototype: { polluted: true } }\n',
      '{ "revo": 1, "__proto__": { "polluted": true } }\n',
    ];
    for (const text of texts) {
      const file = loadText('proto.yaml', text);
      expect(file.definition).toBeUndefined();
      expect(file.diagnostics.some((d) => d.rule === 'forbidden-key'), text).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });
});

describe('files on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revo-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file over the size limit before reading it', async () => {
    const path = join(dir, 'huge.yaml');
    writeFileSync(path, SOURCES['two-megabytes']!);
    const file = await loadFile(path);
    expect(file.diagnostics).toMatchObject([{ line: 1, col: 1, rule: 'limits', severity: 'error' }]);
    expect(file.diagnostics[0]!.message).toContain('workflow files are limited to 1.0 MB');
  });

  it('reports binary files and unreadable paths', async () => {
    const path = join(dir, 'junk.yaml');
    writeFileSync(path, junkBytes(4096, 3, { nul: true }));
    expect((await loadFile(path)).diagnostics[0]!.message).toContain('the file is not text');
    expect((await loadFile(join(dir, 'missing.yaml'))).diagnostics[0]).toMatchObject({ rule: 'file', message: 'cannot read the file: ENOENT' });
    expect((await loadFile(dir)).diagnostics[0]!.rule).toBe('file');
  });
});
