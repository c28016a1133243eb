/** Temp directories holding a workflow, its test file and (optionally) an activity module. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTests } from '../../src/testing/runner.js';
import type { CaseResult, FileResult } from '../../src/testing/report.js';

export const ROOT = join(import.meta.dirname, '..', '..');

export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'revo-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Runs `flow.test.yaml` (beside `flow.yaml`) of a fresh workspace and returns its file result. */
export async function runTestFile(workflow: string, test: string, extra: Record<string, string> = {}): Promise<FileResult> {
  const dir = workspace({ 'flow.yaml': workflow, 'flow.test.yaml': test, ...extra });
  const report = await runTests([join(dir, 'flow.test.yaml')]);
  return report.files[0]!;
}

export function caseNamed(file: FileResult, name: string): CaseResult {
  const found = file.cases.find((c) => c.name === name);
  if (!found) throw new Error(`no case "${name}"; problems: ${file.problems.map((p) => `${p.line}: ${p.message}`).join('; ')}`);
  return found;
}

/** A typed activity module with the given activities (plain objects: no import of Revo needed). */
export const ACTIVITY_MODULE = `
export const charge = {
  name: 'pay.charge',
  input: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
  output: { type: 'object', required: ['chargeId'], properties: { chargeId: { type: 'string' } } },
  defaults: { retry: { maxAttempts: 4, initialInterval: '1s', backoff: 2 } },
  async run({ amount }) { return { chargeId: 'ch_' + amount }; },
};
export const refund = {
  name: 'pay.refund',
  input: { type: 'object' },
  output: { type: 'object' },
  async run(input) { return { refunded: input.chargeId }; },
};
export const ship = {
  name: 'ship.book',
  input: { type: 'object' },
  output: { type: 'object', required: ['tracking'], properties: { tracking: { type: 'string' } } },
  async run() { return { tracking: 'T1' }; },
};
`;
