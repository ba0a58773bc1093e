/**
 * Debian's Chromium driven by playwright-core, for the dashboard's tests and benchmark. `.ci/run` installs it; on a
 * machine without it the browser tests skip, except under CI, where they must run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.RAINCHECK_CHROMIUM ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(chromiumPath);
if (!browserAvailable && process.env.CI) throw new Error(`Chromium is required under CI and is not at ${chromiumPath} (.ci/run installs it)`);

/** Headless, and without the background connections this machine's closed network refuses (GUIDE: traps). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Where screenshots go (test-results/, not committed). */
export function resultsDir(): string {
  const dir = 'test-results';
  mkdirSync(dir, { recursive: true });
  return dir;
}
