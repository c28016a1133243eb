#!/usr/bin/env node
// Bundles the Temporal workflow (dist/src/sandboxed/workflow/workflow.js, from tsc) with the
// interpreter into dist/temporal-workflow.js, once per build: workers and replays
// then load it in a moment instead of running webpack at every start.
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

const { code } = await bundleWorkflowCode({
  workflowsPath: new URL('../dist/src/sandboxed/workflow/workflow.js', import.meta.url).pathname,
  logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
});
await writeFile(new URL('../dist/temporal-workflow.js', import.meta.url), code);
