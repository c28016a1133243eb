/**
 * The benchmark's baseline: what a developer would write by hand in TypeScript for the
 * workflows bench/temporal.ts gives Revo as YAML. Same activity (`bench.step`, through
 * the same typed-activity wrapper, so it takes and returns what Revo's calls do), same
 * activity options as Revo's engine defaults (docs/dsl.md#errors-timeouts-and-retries), same input, same output.
 * Bundled into the benchmark's workflow code next to the `revo` workflow.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { NEVER_RETRY } from '../interpreter/errors.js';
import type { Json } from '../interpreter/model.js';
import type { CallContext, CallResult } from '../src/sandboxed/workflow/contract.js';

type Step = (input: Json, call: CallContext) => Promise<CallResult>;

// Revo's engine defaults: 1m per attempt, 5 attempts, 1s doubling to 1m, its never-retried types.
const { 'bench.step': step } = proxyActivities<Record<'bench.step', Step>>({
  startToCloseTimeout: 60_000,
  retry: { maximumAttempts: 5, initialInterval: 1_000, backoffCoefficient: 2, maximumInterval: 60_000, nonRetryableErrorTypes: [...NEVER_RETRY] },
});

const call = (id: string): CallContext => ({ step: id, key: id, runId: workflowInfo().runId });

/** 20 sequential calls, written out as a developer would. */
export async function handwritten20(): Promise<Json> {
  let r: CallResult;
  r = await step({ i: 1 }, call('s1'));
  r = await step({ i: 2 }, call('s2'));
  r = await step({ i: 3 }, call('s3'));
  r = await step({ i: 4 }, call('s4'));
  r = await step({ i: 5 }, call('s5'));
  r = await step({ i: 6 }, call('s6'));
  r = await step({ i: 7 }, call('s7'));
  r = await step({ i: 8 }, call('s8'));
  r = await step({ i: 9 }, call('s9'));
  r = await step({ i: 10 }, call('s10'));
  r = await step({ i: 11 }, call('s11'));
  r = await step({ i: 12 }, call('s12'));
  r = await step({ i: 13 }, call('s13'));
  r = await step({ i: 14 }, call('s14'));
  r = await step({ i: 15 }, call('s15'));
  r = await step({ i: 16 }, call('s16'));
  r = await step({ i: 17 }, call('s17'));
  r = await step({ i: 18 }, call('s18'));
  r = await step({ i: 19 }, call('s19'));
  r = await step({ i: 20 }, call('s20'));
  return r.output;
}

/** `count` sequential calls in a loop (the replay benchmark's 1,000-step history). */
export async function handwrittenSteps(count: number): Promise<Json> {
  let output: Json = null;
  for (let i = 1; i <= count; i++) output = (await step({ i }, call(`s${i}`))).output;
  return output;
}
