#!/usr/bin/env node
// Finds Chromium for the browser tests (CHROMIUM_PATH, else Debian's /usr/bin/chromium)
// and, when there is none, installs Debian's package — the machines CI runs on start
// with only what the project installs itself. Prints the path; fails loudly otherwise.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const DEBIAN_PATH = '/usr/bin/chromium';

/** The Chromium binary to use, or undefined when there is none yet. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH is ${env.CHROMIUM_PATH}, which does not exist`);
    return env.CHROMIUM_PATH;
  }
  return existsSync(DEBIAN_PATH) ? DEBIAN_PATH : undefined;
}

export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = root ? '' : 'sudo -n ';
  const command = `${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium`;
  console.error(`Chromium is not installed; installing Debian's package for the browser tests: ${command}`);
  try {
    execSync(command, { stdio: ['ignore', 'inherit', 'inherit'], shell: '/bin/sh' });
  } catch (error) {
    throw new Error(`could not install Chromium (${error.message.split('\n')[0]}); install Debian's "chromium" package, or set CHROMIUM_PATH to a Chromium binary`);
  }
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium, but ${DEBIAN_PATH} is not there; set CHROMIUM_PATH`);
  return installed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(`ensure-chromium: ${error.message}`);
    process.exit(1);
  }
}
