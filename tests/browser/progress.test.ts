// The Progress home and a session's debrief in real Chromium (Debian) against the real stack.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, createReadyJob } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  // Reduced motion: the charts draw without animating, so screenshots show the final values.
  ui = await startBrowserStack({}, { reducedMotion: 'reduce' });
  ({ stack, page, shot } = ui);
  client = apiClient(stack.baseUrl);
});

afterAll(() => ui?.close());

async function startSession(jobId: string): Promise<string> {
  const res = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST /api/sessions: ${res.status}`);
  return res.json.id;
}

/** One round answered with ANSWER, then next, to completion. */
async function completeOneRound(jobId: string): Promise<string> {
  const id = await client.answeredSession(jobId);
  await client.call('POST', `/api/sessions/${id}/next`);
  await client.waitStatus(id, 'completed');
  return id;
}

/** Whether a canvas has a size and something drawn on it. */
const canvasDrawn = (sel: string) =>
  page.$eval(sel, (el) => {
    const c = el as HTMLCanvasElement;
    if (!c.width || !c.height || !c.clientWidth || !c.clientHeight) return false;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
    return false;
  });

it('shows a friendly call to create a job before any practice', async () => {
  await page.goto(stack.baseUrl);
  await page.getByTestId('progress-empty').waitFor();
  await page.getByTestId('create-job-link').click();
  await page.waitForURL(/\/jobs$/);
  await page.getByTestId('job-title').waitFor();
});

it('loads the home page with no failed request, and its favicon is served', async () => {
  const failed: string[] = [];
  const onResponse = (r: { status(): number; url(): string }) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  };
  page.on('response', onResponse);
  try {
    await page.goto(stack.baseUrl);
    await page.getByTestId('progress-empty').waitFor();
    // Headless Chromium may not ask for the icon itself: ask for what the page links to.
    const href = await page.$eval('link[rel="icon"]', (l) => (l as HTMLLinkElement).href);
    const icon = await fetch(href);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    await page.waitForLoadState('networkidle');
  } finally {
    page.off('response', onResponse);
  }
  expect(failed).toEqual([]);
});

it('charts a finished session on the Progress page and debriefs it on the session page', async () => {
  const jobId = await createReadyJob(client);
  const done = await completeOneRound(jobId);
  // A second session left at its first question: it is offered for resuming.
  const open = await startSession(jobId);
  await client.waitStatus(open, 'awaiting_answer');

  await page.goto(stack.baseUrl);
  await page.getByTestId('score-chart').waitFor();
  await expect.poll(() => canvasDrawn('[data-testid="score-chart"] canvas'), { timeout: 10_000 }).toBe(true);
  const size = await page.locator('[data-testid="score-chart"] canvas').boundingBox();
  expect(size!.width).toBeGreaterThan(0);
  expect(size!.height).toBeGreaterThan(0);
  // The same data as text: one scored session, five scores 1–5.
  const rows = page.locator('[data-testid="score-table"] [data-testid="score-row"]');
  expect(await rows.count()).toBe(1);
  const cells = await rows.first().locator('td').allTextContents();
  expect(cells).toHaveLength(5);
  for (const c of cells) expect(Number(c)).toBeGreaterThanOrEqual(1);
  expect(await page.getByTestId('score-chart').locator('[role="img"]').getAttribute('aria-label')).toMatch(
    /over 1 session/,
  );

  await expect
    .poll(() => canvasDrawn('[data-testid="competency-chart"] canvas'), { timeout: 10_000 })
    .toBe(true);
  expect(((await page.getByTestId('next-drill').textContent()) ?? '').trim().length).toBeGreaterThan(5);
  expect(await page.getByTestId('next-drill').getAttribute('data-empty')).toBeNull();
  expect(Number(await page.getByTestId('streak').getAttribute('data-this-week'))).toBeGreaterThanOrEqual(1);
  expect(Number(await page.getByTestId('streak-this-week').textContent())).toBeGreaterThanOrEqual(1);
  expect(await page.getByTestId('weakest-dimension').count()).toBeGreaterThan(0);
  const resume = page.getByTestId('resume-link');
  expect(await resume.count()).toBe(1);
  expect(await resume.getAttribute('href')).toBe(`/sessions/${open}`);

  // The filters ask the API again: no technical sessions yet.
  await page.getByTestId('filter-module').selectOption('technical');
  await page.getByTestId('progress-no-match').waitFor();
  await page.getByTestId('filter-module').selectOption('');
  await page.getByTestId('score-row').first().waitFor({ state: 'attached' });
  await expect.poll(() => canvasDrawn('[data-testid="score-chart"] canvas'), { timeout: 10_000 }).toBe(true);
  await shot('9-progress');

  // Dark theme and a phone-sized screen: the charts redraw and nothing overflows sideways.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => canvasDrawn('[data-testid="score-chart"] canvas'), { timeout: 10_000 }).toBe(true);
  const chartBox = await page.locator('[data-testid="score-chart"] canvas').boundingBox();
  expect(chartBox!.width).toBeGreaterThan(200);
  expect(chartBox!.width).toBeLessThanOrEqual(390);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await shot('9-progress-phone-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1200, height: 900 });

  await page.goto(`${stack.baseUrl}/sessions/${done}`);
  await page.getByTestId('debrief').waitFor({ timeout: 15_000 });
  for (const d of ['star', 'clarity', 'impact', 'conciseness', 'relevance']) {
    expect(Number(await page.getByTestId(`debrief-${d}`).textContent())).toBeGreaterThanOrEqual(1);
  }
  expect(await page.getByTestId('debrief').textContent()).toMatch(/1 answered question/);
  await shot('9b-debrief');
});
