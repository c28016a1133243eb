/** A ValidationError as `revo validate` prints it: `file:line:col` diagnostics with code frames. */
import type { ValidationError } from '../../errors.js';
import { RULES } from '../rules.js';
import { formatText } from './text.js';

export function validationReport(error: ValidationError, color: boolean): string {
  return formatText(error.diagnostics, { sources: error.sources, color, rules: RULES, filesChecked: error.sources.size || 1 }).trimEnd();
}
