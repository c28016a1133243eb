import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowDefinition } from '../../interpreter/model.js';
import { loadFile, loadText } from '../../src/load/load.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every example workflow in definitions/ (not the workflow tests beside them) and the fixture that uses every step kind, by path. */
export function chartedFiles(): string[] {
  const definitions = readdirSync(join(ROOT, 'definitions'))
    .filter((name) => name.endsWith('.yaml') && !name.endsWith('.test.yaml'))
    .map((name) => join(ROOT, 'definitions', name));
  return [...definitions, join(import.meta.dirname, 'fixtures', 'every-step-kind.yaml')];
}

export async function definitionOf(path: string): Promise<WorkflowDefinition> {
  const loaded = await loadFile(path);
  if (loaded.definition === undefined) throw new Error(`${path} did not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`);
  return loaded.definition as WorkflowDefinition;
}

/** A definition from YAML text (for small cases written inline). */
export function definitionFromYaml(text: string): WorkflowDefinition {
  const loaded = loadText('inline.yaml', text);
  if (loaded.definition === undefined) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
  return loaded.definition as WorkflowDefinition;
}
