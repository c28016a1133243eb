#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('revo: the CLI is not built yet. Run `npm install` (or `npm run build`) in the Revo package first.\n');
  process.exit(2);
}
await import(main.href);
