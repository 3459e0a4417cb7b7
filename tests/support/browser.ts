// Debian Chromium through playwright-core, against the real stack with the built UI, for browser tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './processes.js';
import { startStack, type TestStack } from './stack.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');

export interface BrowserStack {
  stack: TestStack;
  browser: Browser;
  page: Page;
  /** A full-page screenshot saved as a test artifact. */
  shot(name: string): Promise<Buffer>;
  close(): Promise<void>;
}

export async function startBrowserStack(
  env: Record<string, string> = {},
  pageOptions: Parameters<Browser['newPage']>[0] = {},
  /** More Chromium flags (a fake microphone, the autoplay policy...). */
  chromiumArgs: string[] = [],
): Promise<BrowserStack> {
  // WEB_BUILD_DIR: a private copy of web/build, for a run that must not see a rebuild land mid-test.
  const build = process.env.WEB_BUILD_DIR ?? path.join(ROOT, 'web/build');
  const { handler } = (await import(path.join(build, 'handler.js'))) as { handler: RequestHandler };
  const stack = await startStack(env, handler);
  // Playwright gives every launch a fresh, empty user-data-dir of its own.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...chromiumArgs,
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, ...pageOptions });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    stack,
    browser,
    page,
    shot: (name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }),
    close: async () => {
      await browser.close();
      await stack.close();
    },
  };
}
