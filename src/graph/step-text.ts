/** What a step does, in a line or two of text: `call payments.charge`, `wait for signal approve` / `timeout 3d`. */
import type { CallStep, ChildStep, FailStep, ForeachStep, ParallelStep, SetStep, SleepStep, Step, WaitStep, WhileStep } from '../../interpreter/model.js';
import { stepKind } from '../../interpreter/model.js';
import { truncate } from '../text.js';
import { expressionText } from './expression-text.js';

/** The first line says what kind of step it is and on what; further lines add its main options. */
export function stepKindLines(step: Step): string[] {
  switch (stepKind(step)) {
    case 'call': {
      const s = step as CallStep;
      return [`call ${s.call}${s.local ? ' (local)' : ''}`];
    }
    case 'set':
      return [truncate(`set ${Object.keys((step as SetStep).set).join(', ')}`, 60)];
    case 'switch':
      return ['switch'];
    case 'parallel':
      return [(step as ParallelStep).failFast === false ? 'parallel (no fail-fast)' : 'parallel'];
    case 'foreach': {
      const s = step as ForeachStep;
      const at = s.concurrency !== undefined && s.concurrency > 1 ? `, ${s.concurrency} at a time` : '';
      return [`foreach ${expressionText(s.foreach)}`, `as ${s.as ?? 'item'}${at}`];
    }
    case 'while': {
      const s = step as WhileStep;
      return [`while ${expressionText(s.while)}`, ...(s.maxIterations !== undefined ? [`at most ${s.maxIterations} times`] : [])];
    }
    case 'sleep': {
      const s = step as SleepStep;
      return [`sleep ${typeof s.sleep === 'string' ? s.sleep : expressionText(s.sleep)}`];
    }
    case 'wait': {
      const s = step as WaitStep;
      return [`wait for signal ${s.wait.signal}`, ...(s.wait.timeout !== undefined ? [`timeout ${s.wait.timeout}`] : [])];
    }
    case 'child': {
      const s = step as ChildStep;
      return [`child workflow ${s.child.workflow}`, ...(s.child.wait === false ? ['no wait'] : [])];
    }
    case 'try':
      return ['try'];
    case 'fail':
      return [`fail ${(step as FailStep).fail.type}`];
    case 'return':
      return ['return'];
  }
}
