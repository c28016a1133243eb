import { countBySeverity } from '../diagnostic.js';
import { portablePath, summary } from './paths.js';
import type { Formatter } from './types.js';

/**
 * `--format github`: GitHub Actions workflow commands, which turn into annotations
 * on the pull request diff:
 *
 *   ::error file=flows/order.yaml,line=3,col=11,endLine=3,endColumn=25,title=revo unknown-activity::unknown activity …
 *
 * followed by the plain summary line for the job log.
 */
export const formatGithub: Formatter = (diagnostics, context) => {
  const out: string[] = [];
  for (const d of diagnostics) {
    const properties = [
      ['file', portablePath(d.file, context.cwd)],
      ['line', String(d.line)],
      ['col', String(d.col)],
      ['endLine', String(d.endLine)],
      ['endColumn', String(d.endCol)],
      ['title', `revo ${d.rule}`],
    ]
      .map(([name, value]) => `${name}=${escapeProperty(value!)}`)
      .join(',');
    out.push(`::${d.severity} ${properties}::${escapeData(d.message)}`);
  }
  const counts = countBySeverity(diagnostics);
  out.push(summary(counts.error, counts.warning, context.filesChecked));
  return `${out.join('\n')}\n`;
};

/** The message part of a workflow command: `%`, CR and LF are percent-encoded. */
export function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A property value: as data, plus `:` and `,`, which would end the property. */
export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
