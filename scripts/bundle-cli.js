#!/usr/bin/env node
// Bundles the CLI into dist/cli/revo.mjs: a cold `revo validate` then loads one module
// instead of hundreds, which is most of its start-up time. Code split at the dynamic
// imports, so the Temporal SDK (external: it has a native module and bundles workflow
// code itself) loads only for the commands that talk to Temporal. bin/revo.js prefers
// the bundle and falls back to the tsc output in dist/src/.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

await rm('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: { revo: 'src/cli/main.ts' },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // tsx installs its own loader hooks for activity modules written in TypeScript.
  // OpenTelemetry too: the SDK's interceptors and Revo must share one API and one tracer provider.
  external: ['tsx', 'tsx/*', '@temporalio/*', '@opentelemetry/*'],
  // Bundled CommonJS dependencies (ajv) call require(); give them one.
  banner: { js: "import { createRequire as __revoCreateRequire } from 'node:module'; const require = __revoCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
