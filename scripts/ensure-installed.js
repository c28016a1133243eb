#!/usr/bin/env node
// Runs before `npm test`: on a fresh clone it installs the dependencies, and it
// always rebuilds dist/ so the CLI that tests spawn matches the sources.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const run = (command) => execSync(command, { stdio: 'inherit' });
const installed = existsSync('node_modules/.package-lock.json');
const stale = installed && statSync('package-lock.json').mtimeMs > statSync('node_modules/.package-lock.json').mtimeMs;

if (!installed || stale) {
  console.log(installed ? 'package-lock.json changed: reinstalling dependencies…' : 'Installing dependencies…');
  // `npm install`, not `npm ci`: npm leaves other platforms' optional packages out of the
  // lock file here, which `npm ci` then refuses as out of sync. The lock is still honoured.
  run('npm install --no-audit --no-fund'); // runs `prepare`, which builds
} else {
  run('npm run --silent build');
}
