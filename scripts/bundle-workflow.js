#!/usr/bin/env node
// Bundles the Temporal workflow (dist/src/sandboxed/workflow/workflow.js, from tsc) with the
// interpreter into dist/temporal-workflow.js, once per build: workers and replays
// then load it in a moment instead of running webpack at every start. A second bundle,
// dist/temporal-workflow-traced.js, adds the SDK's OpenTelemetry workflow interceptors
// (src/sandboxed/workflow/tracing.ts) for workers that trace (docs/temporal.md#tracing).
// Both preload what holds no per-run state (see preloadableModules).
import { writeFile } from 'node:fs/promises';
import { bundleWorkflowCode } from '@temporalio/worker';
import { preloadableModules, WORKFLOW_MODULE } from '../dist/src/temporal/workflow-code.js';

const dist = (path) => new URL(`../dist/${path}`, import.meta.url).pathname;
const logger = { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} };
const common = { workflowsPath: WORKFLOW_MODULE, preloadModules: preloadableModules(), logger };

const plain = await bundleWorkflowCode(common);
await writeFile(dist('temporal-workflow.js'), plain.code);
const traced = await bundleWorkflowCode({ ...common, workflowInterceptorModules: [dist('src/sandboxed/workflow/tracing.js')] });
await writeFile(dist('temporal-workflow-traced.js'), traced.code);
