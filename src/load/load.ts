import { readFile, stat } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isSeq, isPair, isScalar, isAlias, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../validate/diagnostic.js';
import { contentHash } from './hash.js';
import { LIMITS, scanNesting } from './limits.js';
import { PARSE_OPTIONS, SourceMap, type SourceRange } from './source-map.js';

/** One workflow file after loading: its text, positions and, when it parsed, plain JSON. */
export interface LoadedFile {
  /** The path as the user gave it (used in every diagnostic). */
  file: string;
  text: string;
  source: SourceMap;
  /** The definition as plain JSON; undefined when the file could not be loaded. */
  definition: unknown;
  /** `sha256:…` of the canonical JSON; undefined when the file could not be loaded. */
  hash: string | undefined;
  /** Problems found while loading (YAML syntax, limits, forbidden keys). */
  diagnostics: Diagnostic[];
}

// eslint-disable-next-line no-control-regex
const NON_YAML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;

/** Keys that could reach an object's prototype if a consumer ever merged them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export async function loadFile(file: string): Promise<LoadedFile> {
  const unreadable = (err: unknown) => failed(file, '', 'file', `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    return unreadable(err);
  }
  if (!info.isFile()) return failed(file, '', 'file', 'cannot read the file: it is not a regular file');
  if (info.size > LIMITS.maxBytes) {
    return failed(file, '', 'limits', `the file is ${formatBytes(info.size)}; workflow files are limited to ${formatBytes(LIMITS.maxBytes)}`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    return unreadable(err);
  }
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    return notUtf8(file, bytes);
  }
  return loadText(file, text);
}

/** Refuses bytes that are not UTF-8 instead of reading them as U+FFFD; a byte-order mark is kept, as the parser expects. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The error for a file that is not valid UTF-8, at its first invalid byte. */
function notUtf8(file: string, bytes: Uint8Array): LoadedFile {
  const bad = firstInvalidUtf8(bytes);
  // Positions are counted in the decoded text: the valid part before the bad byte decodes as it is.
  const before = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(0, bad));
  const shown = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  // Binary junk (a NUL anywhere, or a control character before the bad byte) is better told as not text.
  const control = NON_YAML_CHAR.exec(shown);
  if (control && (control.index < before.length || shown.includes('\u0000'))) return loadText(file, shown);
  const hex = `0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')}`;
  return failed(file, shown, 'yaml', `the file is not valid UTF-8 (the byte ${hex} here starts no valid character); save it as UTF-8`, before.length);
}

/** The offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629), or bytes.length. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) { need = 2; if (b === 0xe0) lo = 0xa0; if (b === 0xed) hi = 0x9f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; if (b === 0xf0) lo = 0x90; if (b === 0xf4) hi = 0x8f; }
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return i;
}

/** Parses and normalizes one workflow text. Never throws for bad input. */
export function loadText(file: string, text: string): LoadedFile {
  const lines = new LineCounter();
  if (Buffer.byteLength(text) > LIMITS.maxBytes) {
    return failed(file, text, 'limits', `the file is larger than ${formatBytes(LIMITS.maxBytes)}, the limit for workflow files`);
  }
  // YAML streams may not contain control characters other than tab, LF and CR (and NEL):
  // one clear error for binary junk instead of a parser error on every line.
  const control = NON_YAML_CHAR.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    const what = code === 0 ? 'a NUL byte' : `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return failed(file, text, 'yaml', `the file is not text (it contains ${what}); a workflow is a YAML file`, control.index);
  }
  const tooDeep = scanNesting(text);
  if (tooDeep) return failed(file, text, 'limits', tooDeep.message, tooDeep.offset);

  let doc;
  try {
    doc = parseDocument(text, { lineCounter: lines, ...PARSE_OPTIONS });
  } catch (err) {
    return failed(file, text, 'yaml', `the YAML parser gave up: ${(err as Error).message}`);
  }
  const source = new SourceMap(text, lines);
  const result: LoadedFile = { file, text, source, definition: undefined, hash: undefined, diagnostics: [] };
  const at = (range: SourceRange, rule: string, message: string, severity: Diagnostic['severity'] = 'error') =>
    result.diagnostics.push({ file, ...range, severity, rule, message });

  for (const error of doc.errors) {
    // The parser notices an unclosed quote only at the end of the file; point at where it opened.
    const quote = error.code === 'MISSING_CHAR' && /quote/.test(error.message) ? unclosedQuote(doc.contents, error.pos[0]) : undefined;
    if (quote) at(source.rangeOfOffsets(quote.start, quote.start + 1), 'yaml', `the quoted string that starts here is never closed (missing its closing ${quote.char})`);
    else at(source.rangeOfOffsets(error.pos[0], error.pos[1]), 'yaml', yamlMessage(error.code, error.message));
  }
  // The parser's warnings (an unknown tag like `!secret`, an unsupported directive) would
  // silently change what the definition means: a workflow is plain JSON, so they are errors.
  for (const warning of doc.warnings) {
    at(source.rangeOfOffsets(warning.pos[0], warning.pos[1]), 'yaml', yamlMessage(warning.code, warning.message));
  }
  if (doc.errors.length > 0 || doc.warnings.length > 0) return result;
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    at(source.rangeOfOffsets(0, 0), 'yaml', 'the file is empty; a workflow needs at least `revo: 1`, `name` and `steps`');
    return result;
  }

  for (const problem of checkNodes(doc.contents, doc)) at(source.rangeOfOffsets(problem.start, problem.end), problem.rule, problem.message);
  if (result.diagnostics.some((d) => d.severity === 'error')) return result;

  try {
    result.definition = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
  } catch (err) {
    const firstAlias = firstAliasOffset(doc.contents);
    at(source.rangeOfOffsets(firstAlias, firstAlias), 'limits',
      err instanceof ReferenceError
        ? `aliases expand to too many nodes (over ${LIMITS.maxAliasCount}); write the values out or use fewer aliases`
        : `the YAML could not be converted to JSON: ${(err as Error).message}`);
    return result;
  }
  // Aliases can stack nesting beyond what the text shows; measure the result too.
  if (hasAlias(doc.contents) && nestsTooDeep(result.definition)) {
    const firstAlias = firstAliasOffset(doc.contents);
    at(source.rangeOfOffsets(firstAlias, firstAlias), 'limits', `aliases nest the definition too deep (more than ${LIMITS.maxDepth} levels)`);
    result.definition = undefined;
    return result;
  }
  result.hash = contentHash(result.definition);
  return result;
}

interface NodeProblem {
  start: number;
  end: number;
  rule: string;
  message: string;
}

/** Walks the YAML tree without recursion: depth bound, JSON-only values, forbidden keys. */
function checkNodes(root: Node, doc: Document.Parsed): NodeProblem[] {
  const problems: NodeProblem[] = [];
  const stack: { node: Node; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const [start, end] = node.range ?? [0, 0];
    if (depth > LIMITS.maxDepth) {
      problems.push({ start, end: start, rule: 'limits', message: `nesting is too deep (more than ${LIMITS.maxDepth} levels)` });
      break;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (key && !isScalar(key)) {
          const [ks, ke] = key.range ?? [start, start];
          problems.push({ start: ks, end: ke, rule: 'yaml', message: 'mapping keys must be plain strings, not collections' });
          continue;
        }
        const name = key && isScalar(key) ? String(key.value) : '';
        if (FORBIDDEN_KEYS.has(name)) {
          const [ks, ke] = key!.range ?? [start, start];
          problems.push({ start: ks, end: ke, rule: 'forbidden-key', message: `the key \`${name}\` is not allowed (it could alter object prototypes); rename it` });
        }
        if (pair.value) stack.push({ node: pair.value as Node, depth: depth + 1 });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item) stack.push({ node: item as Node, depth: depth + 1 });
    } else if (isAlias(node)) {
      // An alias inside the node it refers to would expand forever (`steps: &s [{ steps: *s }]`).
      const target = node.resolve(doc);
      if (target?.range && start >= target.range[0] && start < target.range[1]) {
        problems.push({ start, end, rule: 'yaml', message: `the alias *${node.source} refers to a node that contains it (an endless cycle); aliases may not be recursive` });
      }
    } else if (isScalar(node)) {
      const v = node.value;
      const json = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
      if (!json) problems.push({ start, end, rule: 'yaml', message: `this value (${node.tag ?? typeof v}) has no JSON equivalent; use a string, number, boolean or null` });
    }
  }
  return problems.sort((a, b) => a.start - b.start);
}

/** The quoted scalar that an unclosed-quote error at `offset` belongs to (the last one opened before it). */
function unclosedQuote(root: Node | null, offset: number): { start: number; char: string } | undefined {
  let found: { start: number; char: string } | undefined;
  const stack: (Node | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) for (const pair of node.items) { if (isPair(pair)) stack.push(pair.key as Node | null, pair.value as Node | null); }
    else if (isSeq(node)) for (const item of node.items) stack.push(item as Node | null);
    else if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) {
      const [start, end] = node.range;
      if (start < offset && end >= offset && (!found || start > found.start)) found = { start, char: node.type === 'QUOTE_DOUBLE' ? '"' : "'" };
    }
  }
  return found;
}

function hasAlias(root: Node): boolean {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isAlias(node)) return true;
    if (isMap(node)) for (const pair of node.items) { if (isPair(pair) && pair.value) stack.push(pair.value as Node); }
    else if (isSeq(node)) for (const item of node.items) if (item) stack.push(item as Node);
  }
  return false;
}

/** Whether plain JSON (acyclic) nests deeper than the limit; iterative, so it cannot overflow. */
function nestsTooDeep(value: unknown): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > LIMITS.maxDepth) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

function firstAliasOffset(root: Node): number {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isAlias(node)) return node.range?.[0] ?? 0;
    if (isMap(node)) for (const pair of node.items) { if (isPair(pair) && pair.value) stack.push(pair.value as Node); }
    else if (isSeq(node)) for (const item of node.items) if (item) stack.push(item as Node);
  }
  return 0;
}

function failed(file: string, text: string, rule: string, message: string, offset = 0): LoadedFile {
  const lines = new LineCounter();
  lines.addNewLine(0); // the parser registers the first line itself; here nothing parses
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const source = new SourceMap(text, lines, false);
  const range = source.rangeOfOffsets(offset, offset);
  return { file, text, source, definition: undefined, hash: undefined, diagnostics: [{ file, ...range, severity: 'error', rule, message }] };
}

/** yaml's messages carry a code frame of their own; keep the first line, which says what is wrong. */
function yamlMessage(code: string, message: string): string {
  if (code === 'TAG_RESOLVE_FAILED') return `${message.split('\n')[0]!.replace('Unresolved tag', 'unknown tag')}; a workflow holds plain JSON values, so remove the tag (or quote the value)`;
  if (code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (`---` starts another); a workflow file holds exactly one';
  let first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  // Some messages quote the offending source, which in a junk file can be a whole line of noise.
  if (first.length > 160) first = `${first.slice(0, 120)}…`;
  return code === 'DUPLICATE_KEY' ? `${first}; each key may appear once in a mapping` : first;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} bytes`;
}
