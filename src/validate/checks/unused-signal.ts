import { walkSteps } from '../../../interpreter/walk.js';
import type { Check } from '../check.js';

/** A declared signal that no `wait` step waits for is likely a leftover or a typo. */
export const unusedSignal: Check = {
  rule: 'unused-signal',
  description: 'A signal is declared under `signals:` but no `wait` step waits for it.',
  run(ctx) {
    const waited = new Set<string>();
    for (const { step } of walkSteps(ctx.definition.steps)) if ('wait' in step) waited.add(step.wait.signal);
    for (const name of Object.keys(ctx.definition.signals ?? {})) {
      if (waited.has(name)) continue;
      ctx.report(
        ['signals', name],
        `signal \`${name}\` is declared but no \`wait\` step waits for it, so \`${name}\` signals would be buffered and never consumed; ` +
          `add a \`wait: { signal: ${name} }\` step or remove the declaration`,
        { severity: 'warning', key: true },
      );
    }
  },
};
