/**
 * The schema works in editors: the real yaml-language-server (the engine of the
 * VS Code YAML extension and of most other editors' YAML support) validates,
 * completes and explains workflow files with schema/workflow.schema.json, set up
 * either by the `# yaml-language-server: $schema=…` modeline alone or by a
 * `yaml.schemas` style file association.
 *
 * yaml-language-server reports schema violations with severity Warning (as VS Code
 * does for JSON); line numbers below are 1-based like the editor shows them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService, type LanguageService } from 'yaml-language-server';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, SCHEMA_PATH } from '../src/paths.js';

const SCHEMA_URI = pathToFileURL(SCHEMA_PATH).href;
const DEFINITIONS = join(PACKAGE_ROOT, 'definitions');
const MODELINE = '# yaml-language-server: $schema=../schema/workflow.schema.json\n';

/** A language service as an editor runs it: schemas are fetched by URI, here from the file system only. */
function languageService(schemas: { uri: string; fileMatch: string[] }[]): { service: LanguageService; requested: string[] } {
  const requested: string[] = [];
  const service = getLanguageService({
    schemaRequestService: async (uri) => {
      requested.push(uri);
      if (!uri.startsWith('file:')) throw new Error(`no network in tests: ${uri}`);
      return readFileSync(fileURLToPath(uri), 'utf8');
    },
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({ validate: true, hover: true, completion: true, schemas });
  return { service, requested };
}

/** With no association at all: only a modeline can bring the schema in. */
const bare = languageService([]);
/** With the schema associated to `*.yaml` under definitions/, as `yaml.schemas` in VS Code settings does. */
const associated = languageService([{ uri: SCHEMA_URI, fileMatch: ['**/definitions/*.yaml', '*.revo.yaml'] }]);

/** yaml-language-server caches parsed documents by URI and version: every text gets a new version. */
let version = 0;

function document(path: string, text: string): TextDocument {
  return TextDocument.create(pathToFileURL(path).href, 'yaml', ++version, text);
}

async function problems(service: LanguageService, path: string, text: string): Promise<string[]> {
  const diagnostics = await service.doValidation(document(path, text), false);
  return diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
}

const VALID = `revo: 1
name: greet
defaults: { timeout: 30s, retry: { maxAttempts: 3, backoff: 2 } }
steps:
  - id: hello
    call: core.log
    with: { message: hello }
  - id: nap
    sleep: 1h30m
  - id: later
    sleep: { var: delay }
  - id: fan
    parallel:
      - id: left
        steps: [{ id: l, set: { a: 1 } }]
`;

const INVALID = `revo: 1
name: greet
steps:
  - id: hello
    call: core.log
    retyr: { maxAttempts: 3 }
  - id: nap
    sleep: 5 minutes
`;

describe('yaml-language-server with the workflow schema', () => {
  const files = readdirSync(DEFINITIONS).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));

  it.each(files)('finds no problem in definitions/%s, by modeline and by association', async (name) => {
    const path = join(DEFINITIONS, name);
    const text = readFileSync(path, 'utf8');
    expect(await problems(bare.service, path, text)).toEqual([]);
    expect(await problems(associated.service, path, text)).toEqual([]);
    // …and the schema really applies to it: an unknown top-level key is flagged on its line.
    const lines = text.split('\n').length;
    const broken = `${text.endsWith('\n') ? text : `${text}\n`}bogus: 1\n`;
    expect(await problems(bare.service, path, broken)).toEqual([`${lines}:1 Property bogus is not allowed.`]);
    expect(await problems(associated.service, path, broken)).toEqual([`${lines}:1 Property bogus is not allowed.`]);
  });

  it('accepts a small valid workflow and flags the lines of an invalid one', async () => {
    const path = join(DEFINITIONS, 'inline-example.yaml');
    expect(await problems(associated.service, path, VALID)).toEqual([]);
    const found = await problems(associated.service, path, INVALID);
    expect(found).toContain('6:5 Property retyr is not allowed.');
    expect(found.some((p) => p.startsWith('8:12 ') && p.includes('pattern'))).toBe(true);
    expect(found.every((p) => p.startsWith('6:') || p.startsWith('8:'))).toBe(true);
  });

  it('follows the modeline relative to the file, with no other set-up', async () => {
    const path = join(PACKAGE_ROOT, 'examples', 'modeline.yaml');
    const fresh = languageService([]);
    expect(await problems(fresh.service, path, MODELINE + VALID)).toEqual([]);
    expect(fresh.requested).toEqual([SCHEMA_URI]);
    const found = await problems(fresh.service, path, MODELINE + INVALID);
    expect(found).toContain('7:5 Property retyr is not allowed.');
    // Without the modeline (and no association) nothing checks the file.
    expect(await problems(fresh.service, path, INVALID)).toEqual([]);
  });

  it('shows descriptions on hover', async () => {
    const path = join(DEFINITIONS, 'inline-example.yaml');
    const text = VALID;
    const position = { line: 2, character: text.split('\n')[2]!.indexOf('maxAttempts') + 2 };
    const hover = await associated.service.doHover(document(path, text), position);
    const contents = hover?.contents as { value?: string } | undefined;
    expect(contents?.value).toContain('Attempts in total, the first included; 1 means no retry');
  });

  it('completes step kinds inside a step', async () => {
    const path = join(DEFINITIONS, 'inline-example.yaml');
    const text = 'revo: 1\nname: greet\nsteps:\n  - id: a\n    \n';
    const list = await associated.service.doComplete(document(path, text), { line: 4, character: 4 }, false);
    const labels = list.items.map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['call', 'set', 'switch', 'parallel', 'foreach', 'while', 'sleep', 'wait', 'child', 'try', 'fail', 'return']));
  });
});
