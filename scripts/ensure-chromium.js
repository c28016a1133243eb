#!/usr/bin/env node
// Finds Chromium for the browser tests — CHROMIUM_PATH, else Debian's /usr/bin/chromium —
// and, when there is none, installs Debian's package (as root, or through `sudo -n`): the
// machines CI runs on start with only what the project installs itself. Prints what it
// does; fails loudly (an Error, or exit status 1 from the command line) when it cannot.
//
//   node scripts/ensure-chromium.js      # prints the path of the Chromium binary
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const DEBIAN_PATH = '/usr/bin/chromium';

/**
 * The Chromium binary to use: CHROMIUM_PATH when set (which must exist), else the first
 * candidate that exists; undefined when there is none.
 */
export function findChromium({ env = process.env, exists = existsSync, candidates = [DEBIAN_PATH] } = {}) {
  if (env.CHROMIUM_PATH) {
    if (!exists(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist`);
    return env.CHROMIUM_PATH;
  }
  return candidates.find((path) => exists(path));
}

/** The commands that install Debian's chromium package, as argument lists (no shell). */
export function installSteps({ root }) {
  const prefix = [...(root ? [] : ['sudo', '-n']), 'env', 'DEBIAN_FRONTEND=noninteractive'];
  return [
    [...prefix, 'apt-get', 'update'],
    [...prefix, 'apt-get', 'install', '-y', '--no-install-recommends', 'chromium'],
  ];
}

function runStep([command, ...args]) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 9 * 60_000 });
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Why a step failed, in one line. */
function failure(error) {
  if (error.code === 'ENOENT') return `${error.path ?? 'the command'} is not installed`;
  if (error.signal) return `killed by ${error.signal}`;
  if (typeof error.status === 'number') return `exit status ${error.status}`;
  return String(error.message).split('\n')[0];
}

/**
 * The path of a Chromium binary, installing Debian's package first when there is none.
 * Options (for tests): env, exists, candidates as for findChromium; root (default: the
 * process runs as root); run (runs one step, throws when it fails); log (one line).
 */
export function ensureChromium(options = {}) {
  const { candidates = [DEBIAN_PATH], root = isRoot(), run = runStep, log = (line) => console.error(line) } = options;
  const found = findChromium(options);
  if (found) return found;
  log(`ensure-chromium: no Chromium (CHROMIUM_PATH is not set and there is no ${candidates.join(' or ')}); installing Debian's chromium package${root ? '' : ' with sudo -n'}`);
  for (const step of installSteps({ root })) {
    log(`ensure-chromium: $ ${step.join(' ')}`);
    try {
      run(step);
    } catch (error) {
      throw new Error(
        `could not install Chromium: \`${step.join(' ')}\` failed (${failure(error)})${root ? '' : '; installing needs root, or sudo without a password'}. ` +
          `Install Debian's "chromium" package (apt-get install chromium), or set CHROMIUM_PATH to a Chromium binary.`,
      );
    }
  }
  const installed = findChromium(options);
  if (!installed) throw new Error(`apt-get installed chromium, but there is no ${candidates.join(' or ')}; set CHROMIUM_PATH to the Chromium binary`);
  log(`ensure-chromium: installed ${installed}`);
  return installed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(`ensure-chromium: ${error.message}`);
    process.exit(1);
  }
}
