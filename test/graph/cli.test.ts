import { describe, expect, it } from 'vitest';
import { workspace } from '../process-helpers.js';

// These run the built CLI (bin/revo.js → dist/): `npm run build` first.

const FLOW = `revo: 1
name: tiny
steps:
  - id: hello
    call: payments.charge
    with: { amount: 1 }
  - id: done
    return: { ok: true }
`;

describe('revo graph', () => {
  it('prints a Mermaid flowchart by default, and DOT on request', () => {
    const ws = workspace({ 'tiny.yaml': FLOW });
    const mermaid = ws.revo(['graph', 'tiny.yaml']);
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart TD\n/);
    // Activities are not needed to draw: payments.charge is in no catalog here.
    expect(mermaid.stdout).toContain('n2["hello<br/>call payments.charge"]');
    const dot = ws.revo(['graph', 'tiny.yaml', '--format', 'dot']);
    expect(dot.status).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "tiny" \{\n/);
    expect(dot.stdout).toContain('n2 [label="hello\\ncall payments.charge", shape=box];');
  });

  it('exits 1 with positioned diagnostics for an invalid definition', () => {
    const ws = workspace({ 'bad.yaml': FLOW.replace('return: { ok: true }', 'retrun: { ok: true }') });
    const result = ws.revo(['graph', 'bad.yaml']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^bad\.yaml:8:\d+: error: .*retrun/m);
  });

  it('exits 2 for a missing file or an unknown format, without a stack trace', () => {
    const ws = workspace({ 'tiny.yaml': FLOW });
    const missing = ws.revo(['graph', 'nope.yaml']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file: nope.yaml');
    const format = ws.revo(['graph', 'tiny.yaml', '--format', 'svg']);
    expect(format.status).toBe(2);
    for (const stderr of [missing.stderr, format.stderr]) expect(stderr).not.toMatch(/\n\s+at /);
  });
});
