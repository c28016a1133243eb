#!/usr/bin/env node
// The CLI is compiled into dist/ by `npm install` (the prepare script runs the build).
import { existsSync } from 'node:fs';

const candidates = ['../dist/cli/revo.mjs', '../dist/src/cli/main.js'].map((path) => new URL(path, import.meta.url));
const main = candidates.find((url) => existsSync(url));
if (!main) {
  process.stderr.write('revo: the CLI is not built yet. Run `npm install` (or `npm run build`) in the Revo package first.\n');
  process.exit(2);
}
await import(main.href);
