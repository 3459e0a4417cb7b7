// Debian Chromium through playwright-core, against the real stack with the built UI, for browser tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from './processes.js';
import { startStack, type StackOptions, type TestStack } from './stack.js';

const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/**
 * Chromium flags for a fake microphone that plays `wav` (and loops it; Chromium restarts the file for every
 * getUserMedia call), with permission granted and audio allowed to play without a click.
 */
export const fakeMicrophone = (wav: string): string[] => [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  `--use-file-for-fake-audio-capture=${wav}`,
  '--autoplay-policy=no-user-gesture-required',
];

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
  /** How the API and worker run (e.g. without ffmpeg). */
  stackOptions?: StackOptions,
): Promise<BrowserStack> {
  // WEB_BUILD_DIR: a private copy of web/build, for a run that must not see a rebuild land mid-test.
  const build = process.env.WEB_BUILD_DIR ?? path.join(ROOT, 'web/build');
  const { handler } = (await import(path.join(build, 'handler.js'))) as { handler: RequestHandler };
  const stack = await startStack(env, handler, stackOptions);
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

/** Every sentence the page asks the server to say (GET /api/tts), in order, with the voice it names. */
export function spokenSentences(page: Page): { text: string; voice: string | null }[] {
  const said: { text: string; voice: string | null }[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/tts')
      said.push({ text: url.searchParams.get('text') ?? '', voice: url.searchParams.get('voice') });
  });
  return said;
}
