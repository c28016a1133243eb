#!/usr/bin/env node
// Bundles the page of `revo ui` (src/ui/client/, Preact) with its style into
// dist/ui/app.js and dist/ui/app.css: the server serves them from there, so the page
// loads nothing from the network. Type-checked with its own tsconfig (it needs the DOM).
import { rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function bundleUi() {
  await rm(`${root}dist/ui`, { recursive: true, force: true });
  await build({
    entryPoints: { app: `${root}src/ui/client/main.tsx` },
    outdir: `${root}dist/ui`,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await bundleUi();
