import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';
import type { FormatName, Formatter } from './types.js';

export type { FormatContext, FormatName, Formatter } from './types.js';

/** The output formats of `revo validate --format`. */
export const FORMATS: Record<FormatName, Formatter> = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
  sarif: formatSarif,
};
