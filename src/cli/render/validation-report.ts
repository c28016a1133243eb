/** A ValidationError as `revo validate` prints it: `file:line:col` diagnostics with code frames. */
import type { ValidationError } from '../../errors.js';
import { formatText } from '../../validate/format/text.js';
import { RULES } from '../../validate/rules.js';
import { useColor } from '../output.js';

export function validationReport(error: ValidationError, stream: NodeJS.WriteStream = process.stderr): string {
  return formatText(error.diagnostics, { sources: error.sources, color: useColor(stream), rules: RULES, filesChecked: error.sources.size || 1 }).trimEnd();
}
