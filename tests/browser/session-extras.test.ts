// Session page extras in real Chromium (Debian) against the real stack: the rewrite as a word diff, STAR
// highlights in the answer, keyboard shortcuts, a network drop the live stream survives, and the admin
// page's coach version and system health cards.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  ui = await startBrowserStack({ SSE_HEARTBEAT_MS: '1000' });
  ({ stack, page, shot } = ui);
  client = apiClient(stack.baseUrl);
});

afterAll(() => ui?.close());

interface SessionBody {
  status: string;
  turns: { id: string; question: string; answer?: string }[];
}

it('shows the rewrite diff, STAR highlights and shortcuts, survives a network drop, and the admin cards', async () => {
  const jobId = await createReadyJob(client);
  const id = await client.answeredSession(jobId, { rounds: 2 });
  const reviewed = (await client.call<SessionBody>('GET', `/api/sessions/${id}`)).json;
  const asked = reviewed.turns[0]!.question;

  await page.goto(`${stack.baseUrl}/sessions/${id}`);
  await page.getByTestId('feedback-panel').waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByTestId('connection-badge').getAttribute('data-state')).toBe('live');

  // The rewrite as a word diff against the answer: some words kept, added or removed.
  const diff = page.getByTestId('rewrite-diff');
  await diff.waitFor();
  const marked = await diff.locator('ins, del').count();
  expect(marked + (await diff.locator('span:not(.visually-hidden)').count())).toBeGreaterThan(0);
  expect((await diff.textContent())!.trim().length).toBeGreaterThan(0);

  // STAR highlights in the answer bubble.
  const result = page.getByTestId('star-highlight-result');
  await result.waitFor();
  expect(await result.getAttribute('title')).toBe('result');
  expect(await result.evaluate((el) => el.tagName)).toBe('MARK');
  await shot('extras-1-diff-star');

  // `?` opens the shortcuts help, Escape closes it and focus comes back.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  await expect.poll(() => page.getByTestId('shortcuts-help').isVisible()).toBe(true);
  await shot('extras-2-shortcuts');
  await page.keyboard.press('Escape');
  await expect.poll(() => page.getByTestId('shortcuts-help').isVisible()).toBe(false);

  // `r` tries again: a second bubble with the same question.
  await page.keyboard.press('r');
  await expect
    .poll(() => page.locator('.bubble.coach', { hasText: asked.slice(0, 40) }).count(), { timeout: 30_000 })
    .toBe(2);
  await expect
    .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('awaiting_answer');

  // A network drop: the badge shows reconnecting, then live again, and later events still arrive.
  await page.context().setOffline(true);
  await expect
    .poll(() => page.getByTestId('connection-badge').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('reconnecting');
  expect(await page.getByTestId('connection-badge').textContent()).toContain('reconnecting');
  await page.context().setOffline(false);
  await expect
    .poll(() => page.getByTestId('connection-badge').getAttribute('data-state'), { timeout: 30_000 })
    .toBe('live');
  expect(await page.getByTestId('connection-badge').textContent()).toContain('live');

  const waiting = await client.waitStatus<SessionBody>(id, 'awaiting_answer');
  const retryTurn = waiting.turns[waiting.turns.length - 1]!;
  const answered = await client.call('POST', `/api/sessions/${id}/answers`, {
    text: `${ANSWER} Support tickets fell 30%.`,
    turnId: retryTurn.id,
  });
  expect(answered.status).toBeLessThan(300);
  await page.getByTestId('score-delta-impact').waitFor({ timeout: 30_000 });
  await expect
    .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('reviewing');
  await shot('extras-3-after-reconnect');

  // The admin page: the coach version and the system health.
  await page.goto(`${stack.baseUrl}/admin`);
  const coach = page.getByTestId('coach-version');
  await expect.poll(() => coach.textContent(), { timeout: 15_000 }).toContain('coach-prompts@1');
  await page.getByTestId('coach-reload').click();
  await expect.poll(() => coach.textContent(), { timeout: 15_000 }).toContain('Reloaded');
  expect(await coach.textContent()).toContain('coach-prompts@1');
  const health = page.getByTestId('system-health');
  for (const check of ['database', 'chroma', 'temporal']) {
    await expect
      .poll(() => health.getByTestId(`health-${check}`).textContent(), { timeout: 15_000 })
      .toMatch(/ok/);
  }
  await shot('extras-4-admin');
});
