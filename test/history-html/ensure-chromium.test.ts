/**
 * scripts/ensure-chromium.js: how it finds Chromium, and what it runs when there is none
 * (with a fake runner: the real install only happens on a machine without Chromium).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEBIAN_PATH, ensureChromium, findChromium, installSteps } from '../../scripts/ensure-chromium.js';

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'ensure-chromium.js');

describe('finding Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'revo-chromium-'));
  const binary = join(dir, 'chromium');
  writeFileSync(binary, '');

  it('takes CHROMIUM_PATH when set, and fails when it points at nothing', () => {
    expect(findChromium({ env: { CHROMIUM_PATH: binary }, candidates: [] })).toBe(binary);
    expect(() => findChromium({ env: { CHROMIUM_PATH: join(dir, 'nope') } })).toThrow(`CHROMIUM_PATH is ${join(dir, 'nope')}, which does not exist`);
  });

  it("else takes the first candidate that exists (Debian's /usr/bin/chromium by default), or none", () => {
    expect(findChromium({ env: {}, candidates: [join(dir, 'nope'), binary] })).toBe(binary);
    expect(findChromium({ env: {}, candidates: [join(dir, 'nope')] })).toBeUndefined();
    const asked: string[] = [];
    findChromium({ env: {}, exists: (path) => (asked.push(path), false) });
    expect(asked).toEqual([DEBIAN_PATH]);
    expect(DEBIAN_PATH).toBe('/usr/bin/chromium');
  });
});

describe('installing Chromium when there is none', () => {
  /** A machine where the binary appears once the install step ran. */
  function machine(options: { installs?: boolean; failAt?: number; root?: boolean } = {}) {
    const ran: string[][] = [];
    const log: string[] = [];
    let installed = false;
    const result = () =>
      ensureChromium({
        env: {},
        root: options.root ?? true,
        exists: (path) => installed && path === DEBIAN_PATH,
        log: (line) => log.push(line),
        run: (step) => {
          ran.push(step);
          if (options.failAt === ran.length) throw Object.assign(new Error('Command failed'), { status: 100 });
          if (step.includes('install')) installed = options.installs ?? true;
        },
      });
    return { ran, log, result };
  }

  it("runs nothing when Chromium is there", () => {
    const ran: string[][] = [];
    expect(ensureChromium({ env: {}, exists: () => true, run: (step) => ran.push(step), log: () => {} })).toBe(DEBIAN_PATH);
    expect(ran).toEqual([]);
  });

  it("installs Debian's package as root: apt-get update, then apt-get install chromium, saying what it does", () => {
    const { ran, log, result } = machine();
    expect(result()).toBe(DEBIAN_PATH);
    expect(ran).toEqual([
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update'],
      ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
    ]);
    expect(log).toEqual([
      "ensure-chromium: no Chromium (CHROMIUM_PATH is not set and there is no /usr/bin/chromium); installing Debian's chromium package",
      'ensure-chromium: $ env DEBIAN_FRONTEND=noninteractive apt-get update',
      'ensure-chromium: $ env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium',
      'ensure-chromium: installed /usr/bin/chromium',
    ]);
  });

  it('goes through sudo -n when not root (sudo resets the environment, so env comes after it)', () => {
    const { ran, result } = machine({ root: false });
    expect(result()).toBe(DEBIAN_PATH);
    expect(ran.map((step) => step.slice(0, 4).join(' '))).toEqual(['sudo -n env DEBIAN_FRONTEND=noninteractive', 'sudo -n env DEBIAN_FRONTEND=noninteractive']);
    expect(installSteps({ root: false })[1]!.slice(-5)).toEqual(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  });

  it('fails loudly when a step fails: which one, why, and what to do instead', () => {
    const { ran, result } = machine({ root: false, failAt: 1 });
    expect(result).toThrow(
      'could not install Chromium: `sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update` failed (exit status 100); installing needs root, or sudo without a password. ' +
        'Install Debian\'s "chromium" package (apt-get install chromium), or set CHROMIUM_PATH to a Chromium binary.',
    );
    expect(ran).toHaveLength(1);
    const missing = ensureChromium.bind(null, { env: {}, root: true, exists: () => false, log: () => {}, run: () => { throw Object.assign(new Error('spawnSync env ENOENT'), { code: 'ENOENT', path: 'env' }); } });
    expect(missing).toThrow('failed (env is not installed)');
  });

  it('fails when the package installed no binary where expected', () => {
    expect(machine({ installs: false }).result).toThrow('apt-get installed chromium, but there is no /usr/bin/chromium; set CHROMIUM_PATH to the Chromium binary');
  });

  it('runs the steps for real: a fake apt-get first on the PATH sees them, non-interactive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revo-apt-'));
    const binary = join(dir, 'chromium');
    const calls = join(dir, 'calls.log');
    writeFileSync(join(dir, 'apt-get'), `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${calls}\n[ "$1" = install ] && touch ${binary}\nexit 0\n`, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${dir}:${path}`;
    try {
      expect(ensureChromium({ env: {}, root: true, candidates: [binary], log: () => {} })).toBe(binary);
    } finally {
      process.env.PATH = path;
    }
    expect(readFileSync(calls, 'utf8')).toBe('noninteractive update\nnoninteractive install -y --no-install-recommends chromium\n');
  });

  it('from the command line: prints the path, or exits 1 with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'revo-chromium-'));
    const binary = join(dir, 'chromium');
    writeFileSync(binary, '');
    const found = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, CHROMIUM_PATH: binary }, encoding: 'utf8' });
    expect([found.status, found.stdout, found.stderr]).toEqual([0, `${binary}\n`, '']);
    const broken = spawnSync(process.execPath, [SCRIPT], { env: { ...process.env, CHROMIUM_PATH: join(dir, 'nope') }, encoding: 'utf8' });
    expect([broken.status, broken.stdout, broken.stderr]).toEqual([1, '', `ensure-chromium: CHROMIUM_PATH is ${join(dir, 'nope')}, which does not exist\n`]);
  });
});
