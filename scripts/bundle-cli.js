#!/usr/bin/env node
// Bundles the CLI into one file (dist/revo.mjs): a cold `revo validate` then loads one
// module instead of hundreds, which is most of its start-up time. bin/revo.js prefers
// the bundle and falls back to the tsc output in dist/src/.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/revo.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // tsx installs its own loader hooks for activity modules written in TypeScript.
  external: ['tsx', 'tsx/*'],
  // Bundled CommonJS dependencies (ajv) call require(); give them one.
  banner: { js: "import { createRequire as __revoCreateRequire } from 'node:module'; const require = __revoCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
