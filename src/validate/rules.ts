import { CHECKS } from './checks/index.js';
import { SCHEMA_RULE } from './schema.js';

export interface RuleInfo {
  rule: string;
  description: string;
}

/** Every rule a diagnostic can carry: the loader's, the schema's, then each semantic check. */
export const RULES: readonly RuleInfo[] = [
  { rule: 'yaml', description: 'The file is well-formed YAML holding one document of plain JSON values.' },
  { rule: 'limits', description: 'The file stays within the size, nesting and alias limits.' },
  { rule: 'forbidden-key', description: 'No __proto__, constructor or prototype keys.' },
  { rule: 'file', description: 'The file can be read.' },
  { rule: SCHEMA_RULE, description: 'The definition matches the DSL schema.' },
  ...CHECKS.map(({ rule, description }) => ({ rule, description })),
];
