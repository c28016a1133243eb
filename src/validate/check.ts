import type { WorkflowDefinition } from '../../interpreter/model.js';
import type { Catalog } from '../activities/types.js';
import type { LoadedFile } from '../load/load.js';
import type { JsonPath } from '../load/source-map.js';
import type { WorkflowSet } from '../load/workflow-set.js';
import type { Severity } from './diagnostic.js';

export interface ReportOptions {
  severity?: Severity;
  /** Point at the key of the property at `path` rather than at its value. */
  key?: boolean;
}

/** What a semantic check sees: one schema-valid definition and everything around it. */
export interface CheckContext {
  file: LoadedFile;
  definition: WorkflowDefinition;
  catalog: Catalog;
  /** All the workflows being validated together (for child references). */
  workflows: WorkflowSet;
  /** Reports a problem at the YAML node of `path` (default severity: error). */
  report(path: JsonPath, message: string, options?: ReportOptions): void;
}

/** One semantic rule; each lives in its own file under src/validate/checks/. */
export interface Check {
  /** kebab-case, shown in brackets after each message: `[duplicate-id]`. */
  rule: string;
  /** One line for `revo validate --help` and the SARIF rule list. */
  description: string;
  run(context: CheckContext): void;
}
