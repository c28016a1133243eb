/** Types of scripts/ensure-chromium.js, for the tests that import it. */
export const DEBIAN_PATH: string;

export interface FindOptions {
  env?: Record<string, string | undefined>;
  exists?: (path: string) => boolean;
  candidates?: string[];
}

export interface EnsureOptions extends FindOptions {
  root?: boolean;
  run?: (step: string[]) => void;
  log?: (line: string) => void;
}

export function findChromium(options?: FindOptions): string | undefined;
export function installSteps(options: { root: boolean }): string[][];
export function ensureChromium(options?: EnsureOptions): string;
