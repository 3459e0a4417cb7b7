// A whole mock panel interview in text, in real Chromium (Debian) against the real stack: the panel chosen
// on the job page, panelist cards whose ring follows whoever asks, hand-overs in the chat, and the panel's
// debrief (grid, decision, drills that link to the moment in the interview), rebuilt the same after a reload.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import { smallPanel } from '../support/panel.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;
let jobId: string;

beforeAll(async () => {
  ui = await startBrowserStack({ OFFLINE_TOKEN_DELAY_MS: '5' });
  ({ stack, page, shot } = ui);
  const client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
  expect((await client.call('POST', '/api/panel-templates', smallPanel())).status).toBe(201);
}, 120_000);

afterAll(() => ui?.close());

const WITHOUT_RESULT = ANSWER.replace(/\s*Completed bookings rose 12%\.$/, '');

const status = () => page.getByTestId('session-status').getAttribute('data-status');

it('runs a three-panelist interview in text from the job page to the panel’s debrief', async () => {
  await page.goto(`${stack.baseUrl}/jobs/${jobId}`);
  expect(WITHOUT_RESULT.length).toBeLessThan(ANSWER.length);
  await page.getByTestId('panel-select').selectOption('three-of-us');
  await page.getByTestId('panel-hint').waitFor();
  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  await page.getByTestId('panelists').waitFor();
  expect(await page.getByTestId('panelists').locator('.panelist').count()).toBe(3);

  const askedBy: string[] = [];
  for (let asked = 0; asked < 8; asked++) {
    await expect.poll(status, { timeout: 60_000 }).toMatch(/awaiting_answer|completed/);
    if ((await status()) === 'completed') break;
    const bubble = page.locator('.bubble.coach').last();
    const speaker = (await bubble.getAttribute('data-panelist'))!;
    askedBy.push(speaker);
    // The ring is on whoever asked the question being answered, and on nobody else.
    expect(await page.getByTestId(`panelist-${speaker}`).getAttribute('data-active')).toBe('true');
    expect(await page.locator('.panelist[data-active="true"]').count()).toBe(1);
    if (asked === 1) await shot('panel-1-hand-over');
    // The first answer leaves out its result, so the debrief has a gap to drill whatever was asked (a strong
    // answer to every question may fairly get 5s and no drill).
    await page.getByTestId('answer-input').fill(asked === 0 ? WITHOUT_RESULT : ANSWER);
    await page.getByTestId('answer-submit').click();
    await expect.poll(status, { timeout: 60_000 }).not.toBe('awaiting_answer');
  }
  await expect.poll(status, { timeout: 60_000 }).toBe('completed');
  expect(new Set(askedBy)).toEqual(new Set(['ana', 'ben', 'cy']));
  // The last question's number stays up: the interview ended on it.
  expect(await page.getByTestId('round-label').textContent()).toBe(`Question ${askedBy.length}`);
  // A new speaker is handed the floor out loud: the hand-over names them.
  const handOvers = await page.getByTestId('hand-over').allTextContents();
  expect(handOvers.length).toBeGreaterThanOrEqual(2);
  expect(handOvers.some((h) => /Ben|Cy/.test(h))).toBe(true);
  // Time used shows on every card that asked something.
  const anaTime = (await page.getByTestId('panelist-time-ana').textContent())!.trim();
  expect(anaTime).toMatch(/^\d+:\d\d of 3:00$/);
  expect(anaTime).not.toMatch(/^0:00/);

  const debrief = page.getByTestId('panel-debrief');
  await debrief.waitFor({ timeout: 30_000 });
  const decision = /^(Hire|No hire)\./.exec((await page.getByTestId('panel-decision').textContent())!)?.[1];
  expect(decision).toBeDefined();
  expect(await page.getByTestId('panel-grid').locator('tbody tr').count()).toBe(5);
  expect(await page.getByTestId('panel-would-change').textContent()).toMatch(/would have been/);
  const drills = page.getByTestId('drill-link');
  expect(await drills.count()).toBeGreaterThanOrEqual(1);
  const target = (await drills.first().getAttribute('href'))!;
  expect(target).toMatch(/^#turn-/);
  // The drill's moment is a question of this interview, on the page.
  expect(await page.locator(target).count()).toBe(1);
  await drills.first().click();
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(target);
  await shot('panel-2-debrief');

  // A reload rebuilds the debrief and every speaker from the API: nothing lost, nothing twice.
  await page.reload();
  await page.getByTestId('panel-debrief').waitFor();
  expect(await page.locator('.bubble.coach').count()).toBe(askedBy.length);
  expect(await page.locator('.panelist[data-active="true"]').count()).toBe(0);

  // The sessions list says it was a panel.
  await page.goto(`${stack.baseUrl}/sessions`);
  expect(await page.getByTestId('session-panel').first().textContent()).toBe('Mock panel: Three of us');
  // ...and what the panel decided (progress analytics).
  await expect
    .poll(() => page.getByTestId('session-panel-decision').first().textContent())
    .toBe(`Panel decision: ${decision!.toLowerCase()}`);
});
