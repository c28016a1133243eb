import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type LineCounter, type Node } from 'yaml';
import type { JsonPath } from '../../interpreter/walk.js';

export type { JsonPath };

/** How workflow files are parsed (the loader and the source map must agree). */
export const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

export interface SourceRange {
  /** 1-based. */
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/**
 * Maps JSON paths of a parsed definition back to exact ranges in its YAML text,
 * so every diagnostic can point at the node a user has to change.
 *
 * It keeps only the text and line starts: the YAML tree is re-parsed on the first
 * lookup by path. Valid files never need one, and holding every file's tree costs
 * more memory (and garbage collection) than validating them.
 */
export class SourceMap {
  private doc: Document | undefined;

  constructor(
    private readonly text: string,
    private readonly lines: LineCounter,
    /** False for text the loader refused to parse (binary, too deep): paths then map to its start. */
    private readonly parseable = true,
  ) {}

  /** The range of a character offset span. */
  rangeOfOffsets(start: number, end: number): SourceRange {
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  }

  /**
   * The range of the value at `path`, or of its key with `{ key: true }`. When the
   * path leads nowhere (a missing property), the deepest existing node is used.
   */
  rangeOf(path: JsonPath, options: { key?: boolean } = {}): SourceRange {
    if (this.parseable) this.doc ??= parseDocument(this.text, PARSE_OPTIONS);
    let node: Node | null = this.doc?.contents ?? null;
    let keyNode: Node | null = null;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      node = next.value;
      keyNode = next.key;
      if (!node) break;
    }
    const target = options.key && keyNode ? keyNode : (node ?? keyNode);
    const range = target?.range ?? [0, 0, 0];
    return this.rangeOfOffsets(range[0], range[1]);
  }
}

function child(node: Node | null, segment: string | number): { key: Node | null; value: Node | null } | null {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      const name = isScalar(key) ? String(key.value) : undefined;
      if (name === String(segment)) return { key, value: pair.value as Node | null };
    }
    return null;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    return item ? { key: null, value: item } : null;
  }
  return null;
}
