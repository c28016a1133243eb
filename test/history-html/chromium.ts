/**
 * Headless Chromium for the browser tests: Debian's `chromium` (or CHROMIUM_PATH), found
 * or installed by scripts/ensure-chromium.js, driven by playwright-core. There is no
 * skip: when Chromium cannot be had, this throws saying why, and the test fails.
 */
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '../../scripts/ensure-chromium.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Installing Chromium takes minutes on a clean machine. */
export const CHROMIUM_TIMEOUT_MS = 10 * 60_000;

export async function launchChromium(): Promise<Browser> {
  const executablePath = ensureChromium({ log: (line) => process.stderr.write(`${line}\n`) });
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
