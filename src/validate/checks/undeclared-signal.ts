import { walkSteps } from '../../../interpreter/walk.js';
import type { Check } from '../check.js';
import { didYouMean } from '../suggest.js';

/** docs/dsl.md#wait: `wait.signal` names a signal declared under `signals:`. */
export const undeclaredSignal: Check = {
  rule: 'undeclared-signal',
  description: 'A `wait` step waits for a signal that is not declared under `signals:`.',
  run(ctx) {
    const declared = Object.keys(ctx.definition.signals ?? {});
    for (const { step, path } of walkSteps(ctx.definition.steps)) {
      if (!('wait' in step)) continue;
      const name = step.wait.signal;
      if (declared.includes(name)) continue;
      ctx.report(
        [...path, 'wait', 'signal'],
        `step \`${step.id}\` waits for signal \`${name}\`, which is not declared under \`signals:\`` +
          (didYouMean(name, declared) || `; declare it (e.g. \`signals: { ${name}: {} }\`) so senders and payloads can be checked`),
      );
    }
  },
};
