// One practice round in real Chromium (Debian) against the real stack, UI served by the API.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANSWER, JOB } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;

beforeAll(async () => {
  ui = await startBrowserStack({ OFFLINE_TOKEN_DELAY_MS: '15' });
  ({ stack, page, shot } = ui);
});

afterAll(() => ui?.close());

it('creates a job, starts a session, watches the question stream in, answers and sees feedback', async () => {
  await page.goto(`${stack.baseUrl}/jobs`);
  await page.getByTestId('offline-banner').waitFor();
  await page.getByTestId('job-title').fill(JOB.title);
  await page.getByTestId('job-company').fill(JOB.company);
  await page.getByTestId('job-description').fill(JOB.description);
  await page.getByTestId('job-resume').fill(JOB.resume);
  await page.getByTestId('job-submit').click();
  await expect
    .poll(() => page.getByTestId('ingestion-status').textContent(), { timeout: 30_000 })
    .toMatch(/Ready/);
  await shot('1-job-ready');

  await page.getByTestId('open-job').click();
  await page.getByTestId('module-select').selectOption('behavioral');
  await page.getByTestId('rounds-input').fill('2');
  // No seniority on the job: the difficulty defaults to mid, and is sent with the session.
  expect(await page.getByTestId('difficulty-select').inputValue()).toBe('mid');
  await page.getByTestId('difficulty-select').selectOption('senior');
  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);

  // Sample the question while it streams: it must be seen partly written before it is whole.
  const lengths = new Set<number>();
  const question = page.getByTestId('coach-question');
  await expect
    .poll(
      async () => {
        const text = (await question.textContent().catch(() => '')) ?? '';
        lengths.add(text.length);
        return page.getByTestId('session-status').getAttribute('data-status');
      },
      { timeout: 30_000, interval: 20 },
    )
    .toBe('awaiting_answer');
  // At least one partial length besides the whole question (a loaded machine samples few of them).
  expect([...lengths].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  const asked = (await page.getByTestId('coach-question').textContent())!;
  // Grounded in the job: it quotes a short phrase of the description, word for word.
  const quoted = /"([^"]+)"/.exec(asked)?.[1];
  expect(quoted, asked).toBeTruthy();
  expect(JOB.description.toLowerCase()).toContain(quoted!.toLowerCase());
  await shot('2-question');

  await page.getByTestId('answer-input').fill(ANSWER);
  await page.getByTestId('answer-submit').click();
  await page.getByTestId('feedback-panel').waitFor({ timeout: 30_000 });
  for (const d of ['star', 'clarity', 'impact', 'conciseness', 'relevance']) {
    expect(await page.getByTestId(`score-${d}`).textContent()).toMatch(/[1-5]/);
  }
  expect(await page.getByTestId('score-star').textContent()).toMatch(/5/);
  await expect.poll(() => page.getByTestId('session-status').getAttribute('data-status')).toBe('reviewing');
  await shot('3-feedback');

  // Try again with a measured result added: the new feedback shows the change per dimension.
  await page.getByTestId('retry-button').click();
  await expect
    .poll(() => page.locator('.bubble.coach', { hasText: asked.slice(0, 40) }).count(), { timeout: 30_000 })
    .toBe(2);
  await expect
    .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('awaiting_answer');
  await page.getByTestId('answer-input').fill(`${ANSWER} Support tickets fell 30%.`);
  await page.getByTestId('answer-submit').click();
  await page.getByTestId('score-delta-impact').waitFor({ timeout: 30_000 });
  const impactDelta = Number((await page.getByTestId('score-delta-impact').textContent())!.trim());
  expect(impactDelta).toBeGreaterThanOrEqual(0);
  await expect.poll(() => page.getByTestId('session-status').getAttribute('data-status')).toBe('reviewing');
  await shot('3b-retry-feedback');

  // A reload rebuilds the same screen from the API and the event log, nothing twice:
  // the question once, and once more for the retry.
  await page.reload();
  await page.getByTestId('feedback-panel').waitFor();
  await page.getByTestId('score-delta-impact').waitFor();
  expect(await page.getByTestId('session-difficulty').textContent()).toContain('senior');
  expect(await page.locator('.bubble.coach', { hasText: asked.slice(0, 40) }).count()).toBe(2);
  await page.getByTestId('next-button').click();
  await expect
    .poll(() => page.getByTestId('round-label').textContent(), { timeout: 30_000 })
    .toMatch(/Round 2 of 2/);
  await shot('4-next-round');
});
