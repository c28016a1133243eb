import type { Check } from '../check.js';
import { definitionJson } from '../templates.js';

/** Temporal warns about payloads over 256 KB and refuses them over 2 MB; the definition travels as one. */
export const WARN_BYTES = 256 * 1024;

export const definitionSize: Check = {
  rule: 'definition-size',
  description: 'The normalized definition is larger than 256 KB, the Temporal payload warning threshold.',
  run(ctx) {
    const bytes = Buffer.byteLength(definitionJson(ctx.definition));
    if (bytes <= WARN_BYTES) return;
    ctx.report(
      ['name'],
      `workflow \`${ctx.definition.name}\` is ${(bytes / 1024).toFixed(0)} KB as normalized JSON; the definition is passed to Temporal as a payload, ` +
        'which warns above 256 KB and fails above 2 MB — move large data into activity inputs or split the workflow with child steps',
      { severity: 'warning' },
    );
  },
};
