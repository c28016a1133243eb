import { describe, expect, it } from 'vitest';
import { DIFF_FORMATS } from '../../src/diff/format/index.js';
import { codeSpan } from '../../src/diff/format/markdown.js';
import type { DefinitionDiff } from '../../src/diff/model.js';

const DIFF: DefinitionDiff = {
  before: { name: 'orders' },
  after: { name: 'orders' },
  changes: [
    { area: 'input', kind: 'added', path: 'input.required', after: 'coupon', breaking: true, summary: 'input `coupon`: now required' },
    { area: 'step', kind: 'changed', path: 'steps[0].with.note', stepId: 'a', key: 'with.note', before: 'a|b', after: 'use `x`', breaking: false, summary: 'step `a`: `with.note` changed' },
  ],
};

const CONTEXT = { oldLabel: 'HEAD:orders.yaml', newLabel: 'orders.yaml', color: false };

describe('diff formats', () => {
  it('text: a headline, one marked line per change, values under changed ones', () => {
    expect(DIFF_FORMATS.text(DIFF, CONTEXT)).toBe(
      [
        'orders: 2 changes, 1 breaking (HEAD:orders.yaml → orders.yaml)',
        '  + input `coupon`: now required [breaking]',
        '  ~ step `a`: `with.note` changed',
        '      "a|b" → "use `x`"',
        '',
      ].join('\n'),
    );
    expect(DIFF_FORMATS.text({ ...DIFF, changes: [] }, CONTEXT)).toBe('orders: no changes (HEAD:orders.yaml → orders.yaml)\n');
  });

  it('markdown: pipes escaped and backticks fenced in table cells, the chart folded away', () => {
    const markdown = DIFF_FORMATS.markdown(DIFF, { ...CONTEXT, mermaid: 'flowchart TD\n  n0(["orders"])\n' });
    expect(markdown).toContain('| ✏️ | step `a`: `with.note` changed | `"a\\|b"` | ``"use `x`"`` |');
    expect(markdown).toContain('<details><summary>Flowchart of the new version</summary>\n\n```mermaid\nflowchart TD\n  n0(["orders"])\n```\n\n</details>');
    expect(DIFF_FORMATS.markdown({ ...DIFF, changes: [] }, CONTEXT)).not.toContain('| Change |');
  });

  it('a code span survives backticks at its ends and inside', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a ``b`` c')).toBe('```a ``b`` c```');
    expect(codeSpan('`x')).toBe('`` `x ``');
  });

  it('json: the changes whole, with counts', () => {
    expect(JSON.parse(DIFF_FORMATS.json(DIFF, CONTEXT))).toEqual({
      old: { file: 'HEAD:orders.yaml', name: 'orders' },
      new: { file: 'orders.yaml', name: 'orders' },
      summary: { changes: 2, breaking: 1 },
      changes: DIFF.changes,
    });
  });
});
