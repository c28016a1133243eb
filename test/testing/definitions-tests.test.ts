/**
 * The *.test.yaml files of every example in definitions/ pass, run through the same
 * runner as `revo test definitions/` (in process: the CLI tests cover the command).
 */
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testFiles } from '../../src/testing/discover.js';
import { runTests } from '../../src/testing/runner.js';

const DEFINITIONS = join(import.meta.dirname, '..', '..', 'definitions');

describe('definitions/*.test.yaml', () => {
  it('every example has a test file, and every case of every file passes', async () => {
    const files = await testFiles([DEFINITIONS]);
    expect(files.map((f) => basename(f)).sort()).toEqual([
      'customer-onboarding.test.yaml',
      'data-sync.test.yaml',
      'nightly-sales-report.test.yaml',
      'order-fulfilment.test.yaml',
      'report-export.test.yaml',
      'research-agent.test.yaml',
      'shipping.test.yaml',
      'subscription-renewal.test.yaml',
    ]);
    const report = await runTests(files);
    const problems = report.files.flatMap((f) => [
      ...f.problems.map((d) => `${f.file}:${d.line}: ${d.message}`),
      ...f.cases.filter((c) => !c.passed).map((c) => `${f.file}: ${c.name}: ${c.failures.map((x) => `line ${x.line}: ${x.message} (expected ${JSON.stringify(x.expected)}, actual ${JSON.stringify(x.actual)})`).join('; ')}`),
    ]);
    expect(problems).toEqual([]);
    for (const file of report.files) expect(file.cases.length, file.file).toBeGreaterThanOrEqual(4);
  });
});
