/** A problem found in a workflow file, positioned for editors and CI annotations. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  file: string;
  /** 1-based line and column of the start of the offending node. */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  severity: Severity;
  /** Short kebab-case rule name, e.g. `duplicate-id`; one rule per file under src/validate/checks/. */
  rule: string;
  message: string;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts = { error: 0, warning: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule);
}
