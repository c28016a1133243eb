import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8, loadFile, loadText } from '../src/load/load.js';
import { WorkflowSet } from '../src/load/workflow-set.js';

const TEXT = `revo: 1
name: demo
steps:
  - id: first
    set: { a: 1 }
  - id: second
    call: core.echo
    with:
      value: { var: a }
`;

describe('loader', () => {
  it('normalizes YAML into plain JSON with a content hash', () => {
    const file = loadText('demo.yaml', TEXT);
    expect(file.diagnostics).toEqual([]);
    expect(file.definition).toEqual({
      revo: 1,
      name: 'demo',
      steps: [
        { id: 'first', set: { a: 1 } },
        { id: 'second', call: 'core.echo', with: { value: { var: 'a' } } },
      ],
    });
    expect(file.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('hashes the content, not the formatting or key order', () => {
    const reordered = `name: demo   # same definition, other order
revo: 1
steps: [ { set: { a: 1 }, id: first }, { id: second, with: { value: { var: a } }, call: core.echo } ]
`;
    expect(loadText('b.yaml', reordered).hash).toBe(loadText('a.yaml', TEXT).hash);
    expect(loadText('c.yaml', TEXT.replace('a: 1', 'a: 2')).hash).not.toBe(loadText('a.yaml', TEXT).hash);
  });

  it('maps JSON paths back to 1-based line:col of the value or the key', () => {
    const { source } = loadText('demo.yaml', TEXT);
    expect(source.rangeOf(['steps', 1, 'call'])).toMatchObject({ line: 7, col: 11 });
    expect(source.rangeOf(['steps', 1, 'call'], { key: true })).toMatchObject({ line: 7, col: 5 });
    expect(source.rangeOf(['steps', 1, 'with', 'value', 'var'])).toMatchObject({ line: 9, col: 21 });
    // A path that leads nowhere falls back to the deepest node that exists.
    expect(source.rangeOf(['steps', 0, 'missing'])).toMatchObject({ line: 4, col: 5 });
  });

  it('reports a duplicate key at the second occurrence', () => {
    const file = loadText('dup.yaml', 'revo: 1\nname: a\nname: b\nsteps: []\n');
    expect(file.definition).toBeUndefined();
    expect(file.diagnostics).toHaveLength(1);
    expect(file.diagnostics[0]).toMatchObject({ line: 3, col: 1, rule: 'yaml', severity: 'error' });
    expect(file.diagnostics[0]!.message).toContain('each key may appear once');
  });

  it('resolves child workflows by name and by path within the set', () => {
    const parent = loadText('flows/parent.yaml', 'revo: 1\nname: parent\nsteps:\n  - id: c\n    child: { workflow: ./kid.yaml }\n');
    const kid = loadText('flows/kid.yaml', 'revo: 1\nname: kid\nsteps:\n  - id: s\n    set: { x: 1 }\n');
    const set = new WorkflowSet([parent, kid]);
    expect(set.resolve(parent, './kid.yaml')).toBe(kid);
    expect(set.resolve(parent, 'kid')).toBe(kid);
    expect(set.resolve(parent, 'stranger')).toBeUndefined();
  });

  describe('encodings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revo-load-'));
    const write = (name: string, bytes: Buffer) => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };

    it('refuses a file that is not valid UTF-8 at its first bad byte, instead of reading U+FFFD', async () => {
      // Line 3, after "name: caf" (9 characters; line 2 has a two-byte "ü"): a Latin-1 "é" (0xE9), and a bad byte later.
      const bytes = Buffer.concat([Buffer.from('revo: 1\n# ü\nname: caf'), Buffer.from([0xe9]), Buffer.from('\nsteps: []\n# '), Buffer.from([0xff])]);
      const file = await loadFile(write('latin1.yaml', bytes));
      expect(file.definition).toBeUndefined();
      expect(file.diagnostics).toHaveLength(1);
      expect(file.diagnostics[0]).toMatchObject({ line: 3, col: 10, rule: 'yaml', severity: 'error' });
      expect(file.diagnostics[0]!.message).toBe('the file is not valid UTF-8 (the byte 0xE9 here starts no valid character); save it as UTF-8');
    });

    it('reads valid UTF-8, multi-byte characters and a byte-order mark included', async () => {
      const file = await loadFile(write('ok.yaml', Buffer.from('\ufeffrevo: 1\nname: café-🚀\nsteps:\n  - { id: a, set: { x: "ü" } }\n')));
      expect(file.diagnostics).toEqual([]);
      expect(file.definition).toMatchObject({ name: 'café-🚀', steps: [{ id: 'a', set: { x: 'ü' } }] });
    });

    it('finds the first byte that starts no well-formed sequence', () => {
      const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
      expect(at(0x61, 0xc3, 0xa9, 0x62)).toBe(4); // all valid
      expect(at(0x61, 0x80)).toBe(1); // a lone continuation byte
      expect(at(0x61, 0xc0, 0xaf)).toBe(1); // an overlong encoding
      expect(at(0x61, 0xed, 0xa0, 0x80)).toBe(1); // an encoded surrogate
      expect(at(0x61, 0xe2, 0x82)).toBe(1); // truncated at the end
      expect(at(0xf0, 0x9f, 0x9a, 0x80, 0xf5)).toBe(4); // 🚀, then a byte never used
    });
  });
});
