#!/usr/bin/env node
// Writes src/temporal/wire/generated/descriptor.ts: the part of Temporal's API that
// `revo signal` sends and reads (src/temporal/wire/), cut out of @temporalio/proto's own
// descriptor, so no field number is ever written by hand and an SDK upgrade regenerates it.
// Only the fields listed below are kept: protobuf decoders skip the fields they do not
// know, and a request only carries what it sets. A field whose type is a message needs
// that message listed too (the script says so), so the subset stays closed.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = require('@temporalio/proto/protos/json-module.js');
const { version } = require('@temporalio/proto/package.json');

const SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
const METHODS = ['DescribeWorkflowExecution', 'DescribeTaskQueue', 'UpdateWorkflowExecution', 'SignalWorkflowExecution'];

/** Message → the fields kept. */
const MESSAGES = {
  'temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest': ['namespace', 'execution'],
  'temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse': ['workflowExecutionInfo'],
  'temporal.api.workflow.v1.WorkflowExecutionInfo': ['execution', 'type', 'status', 'taskQueue', 'memo', 'firstRunId'],
  'temporal.api.common.v1.WorkflowExecution': ['workflowId', 'runId'],
  'temporal.api.common.v1.WorkflowType': ['name'],
  'temporal.api.common.v1.Memo': ['fields'],
  'temporal.api.common.v1.Payload': ['metadata', 'data'],
  'temporal.api.common.v1.Payloads': ['payloads'],

  'temporal.api.workflowservice.v1.DescribeTaskQueueRequest': ['namespace', 'taskQueue', 'taskQueueType'],
  'temporal.api.workflowservice.v1.DescribeTaskQueueResponse': ['pollers'],
  'temporal.api.taskqueue.v1.TaskQueue': ['name', 'kind'],
  'temporal.api.taskqueue.v1.PollerInfo': ['identity'],

  'temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest': ['namespace', 'workflowExecution', 'firstExecutionRunId', 'waitPolicy', 'request'],
  'temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse': ['updateRef', 'outcome', 'stage'],
  'temporal.api.update.v1.WaitPolicy': ['lifecycleStage'],
  'temporal.api.update.v1.Request': ['meta', 'input'],
  'temporal.api.update.v1.Meta': ['updateId', 'identity'],
  'temporal.api.update.v1.Input': ['name', 'args'],
  'temporal.api.update.v1.UpdateRef': ['workflowExecution', 'updateId'],
  'temporal.api.update.v1.Outcome': ['success', 'failure'],
  'temporal.api.failure.v1.Failure': ['message', 'cause', 'applicationFailureInfo'],
  'temporal.api.failure.v1.ApplicationFailureInfo': ['type', 'nonRetryable'],

  'temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest': ['namespace', 'workflowExecution', 'signalName', 'input', 'identity', 'requestId'],
  'temporal.api.workflowservice.v1.SignalWorkflowExecutionResponse': [],
};

/** The nested JSON namespace tree protobufjs reads, built up one definition at a time. */
const tree = { nested: {} };
function put(fullName, json) {
  const parts = fullName.split('.');
  let at = tree;
  for (const part of parts.slice(0, -1)) {
    at.nested[part] ??= { nested: {} };
    at = at.nested[part];
  }
  at.nested[parts.at(-1)] = json;
}

const service = root.lookupService(SERVICE);
const methods = {};
for (const name of METHODS) {
  const method = service.methods[name];
  if (!method) throw new Error(`${SERVICE} has no method ${name} in @temporalio/proto ${version}`);
  methods[name] = { requestType: method.resolve().resolvedRequestType.fullName.slice(1), responseType: method.resolvedResponseType.fullName.slice(1) };
  for (const type of Object.values(methods[name])) if (!(type in MESSAGES)) throw new Error(`list ${type} in MESSAGES (the ${name} call needs it)`);
}
put(SERVICE, { methods });

const enums = new Set();
for (const [fullName, keep] of Object.entries(MESSAGES)) {
  const type = root.lookupType(fullName).resolveAll();
  const fields = {};
  for (const name of keep) {
    const field = type.fields[name];
    if (!field) throw new Error(`${fullName} has no field ${name} in @temporalio/proto ${version}`);
    const json = field.toJSON();
    const target = field.resolvedType;
    if (target) {
      const targetName = target.fullName.slice(1);
      // Written fully qualified, so the subset resolves without the packages' nesting.
      json.type = target.fullName;
      if ('values' in target) enums.add(target);
      else if (!(targetName in MESSAGES)) throw new Error(`list ${targetName} in MESSAGES (${fullName}.${name} needs it)`);
    }
    fields[name] = json;
  }
  const oneofs = {};
  for (const oneof of type.oneofsArray) {
    const kept = oneof.oneof.filter((name) => keep.includes(name));
    if (kept.length > 0) oneofs[oneof.name] = { oneof: kept };
  }
  put(fullName, { ...(Object.keys(oneofs).length > 0 && { oneofs }), fields });
}
for (const type of enums) put(type.fullName.slice(1), { values: type.values });

const out = 'src/temporal/wire/generated/descriptor.ts';
writeFileSync(
  out,
  `// Generated by scripts/wire-descriptor.js from @temporalio/proto ${version}: do not edit.\n` +
    `// The messages of the four WorkflowService calls \`revo signal\` makes, with only the fields it uses.\n` +
    `export const TEMPORAL_PROTO_VERSION = ${JSON.stringify(version)};\n` +
    `export const WORKFLOW_SERVICE = ${JSON.stringify(SERVICE)};\n` +
    `export const DESCRIPTOR = ${JSON.stringify(tree, null, 2)};\n`,
);
