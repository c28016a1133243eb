import type { DiffFormatter } from './common.js';
import { formatDiffJson } from './json.js';
import { formatDiffMarkdown } from './markdown.js';
import { formatDiffText } from './text.js';

export type DiffFormatName = 'text' | 'markdown' | 'json';

export const DIFF_FORMATS: Record<DiffFormatName, DiffFormatter> = { text: formatDiffText, markdown: formatDiffMarkdown, json: formatDiffJson };
