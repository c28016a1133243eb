/**
 * `revo ui` as a command (the built CLI, in its own process): it prints its URL, serves
 * the page with the session's token and the runs list, and stops on Ctrl-C; a port in use
 * or a bad port is a clear usage error, not a stack trace.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until, workspace } from '../process-helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'revo.js');
const stops: (() => void)[] = [];
afterEach(() => stops.splice(0).forEach((stop) => stop()));

describe('revo ui', () => {
  it('prints its URL, serves the page and the runs, and stops on Ctrl-C', async () => {
    const ws = workspace({ 'hello.yaml': 'revo: 1\nname: hello\nsteps:\n  - { id: hi, set: { x: 1 } }\n' });
    expect(ws.revo(['run', 'hello.yaml']).status).toBe(0);
    const child = spawn(process.execPath, [BIN, 'ui', '--port', '0', '--address', '127.0.0.1:1'], { cwd: ws.dir, env: ws.env });
    stops.push(() => child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stdout), 'the URL');
    const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)![0];

    const served = await fetch(url);
    // Its own script and style only: no inline script, no eval (the signal form's check runs on the server).
    expect(served.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    const page = await served.text();
    expect(page).toMatch(/<meta name="revo-token" content="[\w-]{20,}">/);
    expect(page).toContain('<script type="module" src="/app.js">');
    expect((await fetch(new URL('/app.js', url))).status).toBe(200);
    const { runs } = (await (await fetch(new URL('/api/runs', url))).json()) as { runs: { workflow: string; status: string }[] };
    expect(runs.map((r) => `${r.workflow}:${r.status}`)).toEqual(['hello:completed']);
    const refused = await fetch(new URL('/api/runs?status=sideways', url));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain('status must be one of');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('says so when the port is taken, or is no port', async () => {
    const ws = workspace({});
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    stops.push(() => taken.close());
    const { port } = taken.address() as { port: number };
    const busy = ws.revo(['ui', '--port', String(port)]);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toBe(`revo: port ${port} on 127.0.0.1 is in use; choose another with --port (0 picks a free one)\n`);
    const bad = ws.revo(['ui', '--port', 'eighty']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected a port number from 0 to 65535');
  });
});
