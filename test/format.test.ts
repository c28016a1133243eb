import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/validate/diagnostic.js';
import { SourceLines, codeFrame } from '../src/validate/format/code-frame.js';
import { escapeData, escapeProperty } from '../src/validate/format/github.js';
import { FORMATS, type FormatContext } from '../src/validate/format/index.js';
import { validateSources } from './helpers.js';

const ORDER = `revo: 1
name: order
steps:
  - id: charge
    call: payments.chrge
    with: { amount: 10 }
\t- id: ship
`;

const DIAGNOSTICS: Diagnostic[] = [
  { file: 'flows/order.yaml', line: 5, col: 11, endLine: 5, endCol: 25, severity: 'error', rule: 'unknown-activity', message: 'unknown activity `payments.chrge`; did you mean `payments.charge`?' },
  { file: 'flows/order.yaml', line: 7, col: 2, endLine: 8, endCol: 1, severity: 'warning', rule: 'unreachable', message: 'this step never runs' },
];

function context(overrides: Partial<FormatContext> = {}): FormatContext {
  return {
    sources: new Map([['flows/order.yaml', ORDER]]),
    color: false,
    rules: [
      { rule: 'yaml', description: 'The file is well-formed YAML.' },
      { rule: 'unknown-activity', description: 'Every call names an activity in the catalog.' },
    ],
    filesChecked: 5,
    ...overrides,
  };
}

describe('text format', () => {
  it('prints each diagnostic with a code frame, then a summary', () => {
    expect(FORMATS.text(DIAGNOSTICS, context())).toBe(
      [
        'flows/order.yaml:5:11: error: unknown activity `payments.chrge`; did you mean `payments.charge`? [unknown-activity]',
        '  4 |   - id: charge',
        '> 5 |     call: payments.chrge',
        '    |           ^~~~~~~~~~~~~~',
        '  6 |     with: { amount: 10 }',
        '',
        'flows/order.yaml:7:2: warning: this step never runs [unreachable]',
        '  6 |     with: { amount: 10 }',
        '> 7 | \t- id: ship',
        '    | \t^~~~~~~~~~',
        '',
        '1 error, 1 warning in 5 files',
        '',
      ].join('\n'),
    );
  });

  it('says all is well when there is nothing to report', () => {
    expect(FORMATS.text([], context())).toBe('✓ 5 files valid\n');
    expect(FORMATS.text([], context({ filesChecked: 1 }))).toBe('✓ 1 file valid\n');
  });

  it('colours only when asked', () => {
    expect(FORMATS.text(DIAGNOSTICS, context())).not.toContain('\x1b[');
    const coloured = FORMATS.text(DIAGNOSTICS, context({ color: true }));
    expect(coloured).toContain('\x1b[31merror\x1b[39m');
    expect(coloured).toContain('\x1b[33mwarning\x1b[39m');
    // Without the escape sequences it is the plain output.
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(FORMATS.text(DIAGNOSTICS, context()));
  });

  it('prints no frame for a file without source, and neutralises control characters', () => {
    const out = FORMATS.text(
      [{ file: 'gone.yaml', line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', rule: 'file', message: 'bad \x1b[2J key' }],
      context(),
    );
    expect(out).toBe('gone.yaml:1:1: error: bad \ufffd[2J key [file]\n\n1 error in 5 files\n');
  });
});

describe('code frame', () => {
  it('marks a single point at the end of the file and handles CRLF', () => {
    const lines = new SourceLines('a: 1\r\nb: [\r\n');
    expect(codeFrame(lines, { line: 2, col: 5, endLine: 2, endCol: 5 })).toBe(['  1 | a: 1', '> 2 | b: [', '    |     ^'].join('\n'));
  });

  it('cuts very long lines to a window around the range', () => {
    const line = `${'x'.repeat(5000)}BAD${'y'.repeat(5000)}`;
    const frame = codeFrame(new SourceLines(line), { line: 1, col: 5001, endLine: 1, endCol: 5004 });
    const [text, caret] = frame.split('\n');
    expect(text!.length).toBeLessThan(140);
    expect(text).toContain('BAD');
    expect(text!.indexOf('BAD')).toBe(caret!.indexOf('^'));
    expect(caret!.endsWith('^~~')).toBe(true);
  });

  it('gives nothing for a line outside the text', () => {
    expect(codeFrame(new SourceLines('a: 1\n'), { line: 9, col: 1, endLine: 9, endCol: 1 })).toBe('');
  });
});

describe('json format', () => {
  it('has a stable shape', () => {
    const report = JSON.parse(FORMATS.json(DIAGNOSTICS, context()));
    expect(Object.keys(report)).toEqual(['files', 'errors', 'warnings', 'diagnostics']);
    expect(report).toMatchObject({ files: 5, errors: 1, warnings: 1 });
    expect(report.diagnostics[0]).toEqual({
      file: 'flows/order.yaml',
      line: 5,
      col: 11,
      endLine: 5,
      endCol: 25,
      severity: 'error',
      rule: 'unknown-activity',
      message: 'unknown activity `payments.chrge`; did you mean `payments.charge`?',
    });
    expect(JSON.parse(FORMATS.json([], context()))).toEqual({ files: 5, errors: 0, warnings: 0, diagnostics: [] });
  });

  it('shows files reached by absolute path relative to the working directory', () => {
    const abs = join(process.cwd(), 'flows', 'child.yaml');
    const report = JSON.parse(FORMATS.json([{ ...DIAGNOSTICS[0]!, file: abs }], context()));
    expect(report.diagnostics[0].file).toBe(join('flows', 'child.yaml'));
  });
});

describe('github format', () => {
  it('writes workflow commands', () => {
    expect(FORMATS.github(DIAGNOSTICS, context()).split('\n')).toEqual([
      '::error file=flows/order.yaml,line=5,col=11,endLine=5,endColumn=25,title=revo unknown-activity::unknown activity `payments.chrge`; did you mean `payments.charge`?',
      '::warning file=flows/order.yaml,line=7,col=2,endLine=8,endColumn=1,title=revo unreachable::this step never runs',
      '1 error, 1 warning in 5 files',
      '',
    ]);
  });

  it('escapes data and properties as GitHub requires', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('dir,1/a:b%.yaml\n')).toBe('dir%2C1/a%3Ab%25.yaml%0A');
    const out = FORMATS.github(
      [{ file: 'a,b:c.yaml', line: 1, col: 1, endLine: 1, endCol: 2, severity: 'error', rule: 'yaml', message: 'line one\nline two: 50%' }],
      context(),
    );
    expect(out.split('\n')[0]).toBe('::error file=a%2Cb%3Ac.yaml,line=1,col=1,endLine=1,endColumn=2,title=revo yaml::line one%0Aline two: 50%25');
  });
});

describe('sarif format', () => {
  const require = createRequire(import.meta.url);
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  // The official SARIF 2.1.0 schema is JSON Schema draft-04; one of its patterns
  // (`language`) is not a valid regular expression in unicode mode.
  // (CommonJS packages: under NodeNext the class is the default export's `default`.)
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  ajvFormats.default(ajv);
  const validateSarif = ajv.compile(schema);

  function expectValid(log: unknown) {
    const ok = validateSarif(log);
    expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  }

  it('is valid SARIF 2.1.0 with rule metadata and locations', () => {
    const log = JSON.parse(FORMATS.sarif(DIAGNOSTICS, context()));
    expectValid(log);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect(run.tool.driver).toMatchObject({ name: 'revo', version: pkg.version });
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['yaml', 'unknown-activity', 'unreachable']);
    expect(run.tool.driver.rules[1].shortDescription.text).toBe('Every call names an activity in the catalog.');
    expect(run.results).toHaveLength(2);
    expect(run.results[0]).toEqual({
      ruleId: 'unknown-activity',
      ruleIndex: 1,
      level: 'error',
      message: { text: 'unknown activity `payments.chrge`; did you mean `payments.charge`?' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'flows/order.yaml' },
            region: { startLine: 5, startColumn: 11, endLine: 5, endColumn: 25 },
          },
        },
      ],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'unreachable', ruleIndex: 2, level: 'warning' });
  });

  it('uses a schema that does reject broken logs', () => {
    const log = JSON.parse(FORMATS.sarif(DIAGNOSTICS, context()));
    log.runs[0].results[0].level = 'fatal';
    delete log.runs[0].tool.driver.name;
    expect(validateSarif(log)).toBe(false);
  });

  it('is valid with no results, and encodes awkward paths as URI references', () => {
    expectValid(JSON.parse(FORMATS.sarif([], context())));
    const abs = join(process.cwd(), 'my flows', 'a#1.yaml');
    const log = JSON.parse(FORMATS.sarif([{ ...DIAGNOSTICS[0]!, file: abs }], context()));
    expectValid(log);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('my%20flows/a%231.yaml');
  });

  it('is valid for the diagnostics of real broken files', async () => {
    const sources = {
      'broken.yaml': 'revo: 1\nname: [unclosed\n',
      'nul.yaml': 'revo: 1\0',
      'empty.yaml': '',
      'proto.yaml': 'revo: 1\n__proto__: { polluted: true }\n',
    };
    const diagnostics = await validateSources(sources);
    expect(diagnostics.length).toBeGreaterThanOrEqual(4);
    const ctx = context({ sources: new Map(Object.entries(sources)), filesChecked: 4 });
    expectValid(JSON.parse(FORMATS.sarif(diagnostics, ctx)));
    // And the other formats render them without throwing.
    for (const format of ['text', 'json', 'github'] as const) expect(FORMATS[format](diagnostics, ctx)).toContain('nul.yaml');
  });
});
