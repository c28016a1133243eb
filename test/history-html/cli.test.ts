/** `revo history <run> --html <file>` from the command line: where the page goes, and files that cannot be written. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { workspace, type Workspace } from '../process-helpers.js';

const WORKFLOW = `revo: 1
name: tiny
steps:
  - { id: hello, call: core.log, with: { message: "hi </script>" } }
  - { id: done, set: { ok: true } }
output: { var: ok }
`;

let ws: Workspace;
let runId: string;

beforeAll(() => {
  ws = workspace({ 'tiny.yaml': WORKFLOW });
  const run = ws.revo(['run', 'tiny.yaml']);
  expect(run.status, run.stderr).toBe(0);
  runId = /run (\S+) started/.exec(run.stderr)![1]!;
});

const files = () => readdirSync(ws.dir).sort();

describe('revo history --html', () => {
  it('writes the page to the file, says so on stderr, and creates nothing else', () => {
    const before = files();
    const result = ws.revo(['history', runId, '--html', 'page.html']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('revo: wrote page.html (open it in a browser; it loads nothing from the network)\n');
    expect(files()).toEqual([...before, 'page.html'].sort());
    const page = readFileSync(join(ws.dir, 'page.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(`<title>tiny · ${runId}</title>`);
    expect(page).toContain('data-step-key="hello"');
  });

  it('writes the page to stdout with -', () => {
    const before = files();
    const result = ws.revo(['history', runId.slice(0, 12), '--html', '-']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(result.stdout).toContain('data-step-key="done"');
    expect(files()).toEqual(before);
  });

  it('turns a file that cannot be written into a usage error that says why, without a stack trace', () => {
    const cases: [string, string][] = [
      [join(ws.dir, 'missing', 'page.html'), `the directory ${join(ws.dir, 'missing')} does not exist`],
      [ws.dir, 'it is a directory'],
      [join(ws.dir, 'tiny.yaml', 'page.html'), `${join(ws.dir, 'tiny.yaml')} is not a directory`],
    ];
    for (const [file, why] of cases) {
      const result = ws.revo(['history', runId, '--html', file]);
      expect(result.status).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`revo: cannot write the page to ${file}: ${why}\n`);
    }
    const empty = ws.revo(['history', runId, '--html', '']);
    expect([empty.status, empty.stderr]).toEqual([2, 'revo: --html needs a file to write the page to (or - for stdout)\n']);
    const both = ws.revo(['history', runId, '--html', 'x.html', '--json']);
    expect([both.status, both.stderr]).toEqual([2, 'revo: --html and --json write different things: use one of them\n']);
    expect(files()).not.toContain('x.html');
  });

  it('leaves the text and --json output as they were', () => {
    const text = ws.revo(['history', runId]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('hello');
    expect(text.stdout).not.toContain('<!doctype');
    const json = ws.revo(['history', runId, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ format: 'revo.history/1', runId, status: 'completed', output: true, bundle: { definition: { name: 'tiny' } } });
  });

  it('documents --html in its help, with examples', () => {
    const help = ws.revo(['history', '--help']).stdout;
    expect(help).toContain('--html <file>');
    expect(help).toContain(`--html run.html`);
    expect(help).toContain('--html - |');
  });
});
