import { countBySeverity, type Diagnostic } from '../diagnostic.js';
import { displayPath } from './paths.js';
import type { Formatter } from './types.js';

/**
 * `--format json`: one JSON object, stable for scripts (fields are only ever added):
 *
 *   {
 *     "files": 5,          // files validated
 *     "errors": 2,         // diagnostics with severity "error"
 *     "warnings": 1,       // diagnostics with severity "warning"
 *     "diagnostics": [
 *       { "file": "flows/order.yaml", "line": 3, "col": 11, "endLine": 3, "endCol": 25,
 *         "severity": "error", "rule": "unknown-activity", "message": "…" }
 *     ]
 *   }
 *
 * Lines and columns are 1-based; `endLine`/`endCol` point just past the range
 * (columns count UTF-16 code units). Diagnostics keep the order given (by file,
 * then position).
 */
export interface JsonReport {
  files: number;
  errors: number;
  warnings: number;
  diagnostics: JsonDiagnostic[];
}

/** The published form of a diagnostic is the Diagnostic itself, with the file shown relative. */
export type JsonDiagnostic = Diagnostic;

export const formatJson: Formatter = (diagnostics, context) => {
  const counts = countBySeverity(diagnostics);
  const report: JsonReport = {
    files: context.filesChecked,
    errors: counts.error,
    warnings: counts.warning,
    diagnostics: diagnostics.map((d) => ({ ...d, file: displayPath(d.file, context.cwd) })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
