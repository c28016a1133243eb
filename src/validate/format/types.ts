import type { Diagnostic } from '../diagnostic.js';

/** What every output format may need besides the diagnostics themselves. */
export interface FormatContext {
  /** File (as it appears in `Diagnostic.file`) → its text, for code frames. */
  sources: ReadonlyMap<string, string>;
  /** Whether to use ANSI colours (only the text format has any). */
  color: boolean;
  /** Every rule that can report, for SARIF's rule metadata. */
  rules: readonly { rule: string; description: string }[];
  /** How many files were validated (for the summary). */
  filesChecked: number;
  /** Directory that paths are shown relative to; defaults to `process.cwd()`. */
  cwd?: string;
}

/** Renders a validation result; the returned string ends with a newline. */
export type Formatter = (diagnostics: readonly Diagnostic[], context: FormatContext) => string;

export type FormatName = 'text' | 'json' | 'github' | 'sarif';
