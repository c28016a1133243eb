#!/usr/bin/env node
// Bundles the Temporal workflow (dist/src/sandboxed/workflow/workflow.js, from tsc) with the
// interpreter into dist/temporal-workflow.js, once per build: workers and replays
// then load it in a moment instead of running webpack at every start. A second bundle,
// dist/temporal-workflow-traced.js, adds the SDK's OpenTelemetry workflow interceptors
// (src/sandboxed/workflow/tracing.ts) for workers that trace (docs/temporal.md#tracing).
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';

const dist = (path) => new URL(`../dist/${path}`, import.meta.url).pathname;
const workflowsPath = dist('src/sandboxed/workflow/workflow.js');
const logger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };

const plain = await bundleWorkflowCode({ workflowsPath, logger });
await writeFile(dist('temporal-workflow.js'), plain.code);
const traced = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: [dist('src/sandboxed/workflow/tracing.js')], logger });
await writeFile(dist('temporal-workflow-traced.js'), traced.code);
