/**
 * The page parsed (and, when asked, its script run) by jsdom, for the tests that need a
 * DOM but no browser. jsdom ships no types, so the little used here is declared here.
 */
export interface Node {
  readonly textContent: string | null;
  readonly tagName: string;
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): Node | null;
  querySelectorAll(selector: string): ArrayLike<Node> & Iterable<Node>;
  click(): void;
  focus(): void;
  dispatchEvent(event: unknown): boolean;
}

export interface Dom {
  document: Node & { title: string; activeElement: Node | null };
  window: { pwned?: unknown; KeyboardEvent: new (type: string, init: { key: string; bubbles: boolean }) => unknown };
  /** Attribute (or `text`) values of every node the selector finds, joined with `:`. */
  attrs(selector: string, ...names: string[]): string[];
  /** The one node the selector finds; throws when there is none. */
  one(selector: string): Node;
}

const JSDOM_MODULE: string = 'jsdom';

export async function parse(html: string, options: { scripts?: boolean } = {}): Promise<Dom> {
  const { JSDOM } = (await import(JSDOM_MODULE)) as { JSDOM: new (html: string, options: object) => { window: Dom['window'] & { document: Dom['document'] } } };
  const { window } = new JSDOM(html, options.scripts ? { runScripts: 'dangerously' } : {});
  const document = window.document;
  const one = (selector: string) => {
    const node = document.querySelector(selector);
    if (!node) throw new Error(`nothing matches ${selector}`);
    return node;
  };
  const attrs = (selector: string, ...names: string[]) =>
    [...document.querySelectorAll(selector)].map((n) => names.map((name) => (name === 'text' ? n.textContent : n.getAttribute(name))).join(':'));
  return { document, window, attrs, one };
}
