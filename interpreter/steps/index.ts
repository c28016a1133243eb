/** One handler per step kind. */
import type { Step, StepKind } from '../model.js';
import { callStep } from './call.js';
import { childStep } from './child.js';
import { failStep } from './fail.js';
import { foreachStep } from './foreach.js';
import type { StepHandler } from './handler.js';
import { parallelStep } from './parallel.js';
import { returnStep } from './return.js';
import { setStep } from './set.js';
import { sleepStep } from './sleep.js';
import { switchStep } from './switch.js';
import { tryStep } from './try.js';
import { waitStep } from './wait.js';
import { whileStep } from './while.js';

let handlers: Record<StepKind, StepHandler<Step>> | undefined;

/** The handler of a kind. Built on first use: the step modules and sequence.ts import each other. */
export function stepHandler(kind: StepKind): StepHandler<Step> {
  handlers ??= {
    call: callStep, set: setStep, switch: switchStep, parallel: parallelStep, foreach: foreachStep, while: whileStep,
    sleep: sleepStep, wait: waitStep, child: childStep, try: tryStep, fail: failStep, return: returnStep,
  } as Record<StepKind, StepHandler<Step>>;
  return handlers[kind];
}
