/**
 * Bounds that keep a hostile or broken file from hanging or crashing the loader.
 * They are checked on the raw text before the YAML parser sees it, because the
 * parser itself is recursive and allocates per level of nesting.
 */
export const LIMITS = {
  /** Largest file accepted at all (a definition over 256 KB only warns; see definition-size). */
  maxBytes: 1024 * 1024,
  /** Deepest nesting of mappings and sequences. */
  maxDepth: 64,
  /** Leading indentation, in columns, that no real definition reaches. */
  maxIndent: 512,
  /** Alias expansions allowed while converting to JSON (defeats "billion laughs"). */
  maxAliasCount: 100,
} as const;

export interface LimitViolation {
  offset: number;
  message: string;
}

/**
 * A cheap scan of the text for nesting the parser should not be handed: flow
 * collections opened too deep (`[[[[…`), or lines indented past any sane depth.
 */
export function scanNesting(text: string): LimitViolation | null {
  let flowDepth = 0;
  let quote: string | null = null;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      if (quote === "'" || quote === '"') continue; // quoted scalars may span lines
      continue;
    }
    if (lineStart) {
      // Compact nested sequences (`- - - x`) nest as deeply as indentation does.
      if (c === ' ' || c === '\t' || ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\n'))) {
        if (++indent > LIMITS.maxIndent) {
          return { offset: i, message: `nesting is too deep (indented past ${LIMITS.maxIndent} columns)` };
        }
        continue;
      }
      lineStart = false;
    }
    if (quote) {
      if (c === quote) {
        if (quote === "'" && text[i + 1] === "'") i++;
        else quote = null;
      } else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] ?? ' '))) {
      const end = text.indexOf('\n', i);
      if (end < 0) break;
      i = end - 1;
    } else if (c === '"' || c === "'") {
      const prev = text[i - 1];
      if (prev === undefined || /[\s[{,:]/.test(prev)) quote = c;
    } else if (c === '[' || c === '{') {
      if (++flowDepth > LIMITS.maxDepth) {
        return { offset: i, message: `nesting is too deep (more than ${LIMITS.maxDepth} levels of [ and {)` };
      }
    } else if (c === ']' || c === '}') {
      if (flowDepth > 0) flowDepth--;
    }
  }
  return null;
}
