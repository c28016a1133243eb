import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../paths.js';
import type { Diagnostic } from '../diagnostic.js';
import { portablePath } from './paths.js';
import type { Formatter } from './types.js';

/**
 * `--format sarif`: a SARIF 2.1.0 log (for GitHub code scanning and other viewers).
 * One run; the driver lists every rule given in the context (plus any rule that
 * reported without being listed); each diagnostic is one result whose location
 * is the file's path relative to the working directory, with forward slashes.
 */
export const formatSarif: Formatter = (diagnostics, context) => {
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  const addRule = (id: string, description: string) => {
    if (index.has(id)) return;
    index.set(id, rules.length);
    rules.push({ id, shortDescription: { text: description } });
  };
  for (const { rule, description } of context.rules) addRule(rule, description);
  for (const d of diagnostics) addRule(d.rule, `Revo rule ${d.rule}.`);

  const tool = toolInfo();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'revo',
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            version: tool.version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d: Diagnostic) => ({
          ruleId: d.rule,
          ruleIndex: index.get(d.rule)!,
          level: d.severity,
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriReference(portablePath(d.file, context.cwd)) },
                region: region(d),
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

interface SarifRule {
  id: string;
  shortDescription: { text: string };
}

/** SARIF lines and columns are 1-based; a zero-width range is an insertion point. */
function region(d: Diagnostic) {
  const startLine = Math.max(1, d.line);
  const startColumn = Math.max(1, d.col);
  const endLine = Math.max(startLine, d.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, d.endCol) : Math.max(1, d.endCol);
  return { startLine, startColumn, endLine, endColumn };
}

/** A relative URI reference for a path with forward slashes (each segment percent-encoded). */
export function uriReference(path: string): string {
  const absolute = path.startsWith('/');
  const uri = path.split('/').map(encodeURIComponent).join('/');
  // An absolute path outside the working directory is still a valid file URI.
  return absolute ? `file://${uri}` : /^[a-zA-Z]%3A/.test(uri) ? `file:///${uri.replace('%3A', ':')}` : uri;
}

let cached: { version: string; informationUri: string | undefined } | undefined;

/** Name and version of this package, read once from its package.json. */
function toolInfo(): { version: string; informationUri: string | undefined } {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      version?: string;
      homepage?: string;
      repository?: string | { url?: string };
    };
    const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const uri = pkg.homepage ?? repository?.replace(/^git\+/, '').replace(/\.git$/, '');
    cached = { version: pkg.version ?? '0.0.0', informationUri: uri && /^https?:\/\//.test(uri) ? uri : undefined };
  }
  return cached;
}
