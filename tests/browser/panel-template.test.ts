// Making a mock panel of your own, in real Chromium (Debian) against the real stack: from the job page to the
// template form, the API's 422 shown next to the field it is about, the panel saved and chosen back on the
// job page, and an interview on it, where its tough panelist cuts into a rambling typed answer; then the
// panel edited in the same form and deleted (after a confirmation), the session had with it unchanged.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { apiClient, createReadyJob } from '../support/client.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';
import { RAMBLING } from '../support/panel.js';

let ui: BrowserStack;
let page: Page;
let jobId: string;
/** The session the first test had with "Our loop". */
let sessionUrl: string;

beforeAll(async () => {
  ui = await startBrowserStack({ OFFLINE_TOKEN_DELAY_MS: '5' });
  page = ui.page;
  jobId = await createReadyJob(apiClient(ui.stack.baseUrl));
}, 120_000);
afterAll(() => ui?.close());
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ui?.shot('panel-template-failed');
});

const status = () => page.getByTestId('session-status').getAttribute('data-status');

it('makes a panel on its page, shows the API’s 422 at the field, and interviews with it from the job page', async () => {
  await page.goto(`${ui.stack.baseUrl}/jobs/${jobId}`);
  await page.getByTestId('new-panel-link').click();
  await page.waitForURL(/\/panels\/new\?job=/);

  await page.getByTestId('tpl-title').fill('Our loop');
  await page.getByTestId('tpl-0-name').fill('Ana');
  await page.getByTestId('tpl-0-persona').selectOption('friendly');
  await page.getByTestId('tpl-0-comp-0').fill('ownership');
  await page.getByTestId('tpl-1-name').fill('Cy');
  await page.getByTestId('tpl-1-role').selectOption('bar_raiser');
  await page.getByTestId('tpl-1-persona').selectOption('tough');
  await page.getByTestId('tpl-1-interrupt').check();
  await page.getByTestId('tpl-1-voice').selectOption('espeak:en-gb+m3');
  // A competency the question bank has no question for: the API's 422 says so, next to that field.
  await page.getByTestId('tpl-1-comp-0').fill('juggling');
  await page.getByTestId('tpl-1-weight-0').fill('5');
  await page.getByTestId('tpl-rule').selectOption('bar_raiser_veto');
  await page.getByTestId('tpl-save').click();
  const problem = page.getByTestId('problem-panelists.1.competencies.0');
  await problem.waitFor();
  expect(await problem.textContent()).toMatch(/"juggling" is not a competency of the question bank/);
  expect(page.url()).toMatch(/\/panels\/new/);
  await ui.shot('panel-template-422');

  await page.getByTestId('tpl-1-comp-0').fill('failure and learning');
  await page.getByTestId('tpl-save').click();
  // Back on the job page with the new panel chosen in the picker.
  await page.waitForURL(new RegExp(`/jobs/${jobId}\\?panel=our-loop$`));
  await page.getByTestId('panel-hint').waitFor();
  expect(await page.getByTestId('panel-select').inputValue()).toBe('our-loop');
  expect(await page.locator('[data-testid="panel-select"] option[value="our-loop"]').textContent()).toBe(
    'Our loop (Ana, Cy)',
  );

  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  sessionUrl = page.url();
  await page.getByTestId('panelists').waitFor();
  expect(await page.getByTestId('panelists').locator('.panelist').count()).toBe(2);
  // Cy weighs the most, so he asks first; a rambling answer gets his cut-in as the next question.
  await expect.poll(status, { timeout: 60_000 }).toBe('awaiting_answer');
  expect(await page.locator('.bubble.coach').last().getAttribute('data-panelist')).toBe('cy');
  await page.getByTestId('answer-input').fill(RAMBLING);
  await page.getByTestId('answer-submit').click();
  await page.getByTestId('cut-in').waitFor({ timeout: 60_000 });
  const cut = page.locator('.bubble.coach').last();
  expect(await cut.getAttribute('data-panelist')).toBe('cy');
  expect(await cut.locator('.text').textContent()).toMatch(/stop you there|cut in|jump in/);
  await expect.poll(status, { timeout: 60_000 }).toBe('awaiting_answer');
  await ui.shot('panel-template-cut-in');
  // A reload shows the same cut-in (the turn says so).
  await page.reload();
  await page.getByTestId('cut-in').waitFor();
  expect(await page.getByTestId('cut-in').count()).toBe(1);
}, 240_000);

it('edits the panel in the same form, filled in, and deletes it after asking; its session keeps the panel', async () => {
  expect(sessionUrl).toBeDefined();
  await page.goto(`${ui.stack.baseUrl}/jobs/${jobId}?panel=our-loop`);
  await page.getByTestId('panel-actions').waitFor();
  // Built-in panels are everyone's: no edit or delete for them.
  await page.getByTestId('panel-select').selectOption('software-engineer');
  expect(await page.getByTestId('panel-actions').count()).toBe(0);
  await page.getByTestId('panel-select').selectOption('our-loop');

  await page.getByTestId('edit-panel').click();
  await page.waitForURL(new RegExp(`/panels/our-loop/edit\\?job=${jobId}$`));
  await page.getByTestId('tpl-save').waitFor();
  expect(await page.getByTestId('tpl-title').inputValue()).toBe('Our loop');
  expect(await page.getByTestId('tpl-id').inputValue()).toBe('our-loop');
  expect(await page.getByTestId('tpl-1-comp-0').inputValue()).toBe('failure and learning');
  expect(await page.getByTestId('tpl-1-interrupt').isChecked()).toBe(true);
  await page.getByTestId('tpl-title').fill('Our tougher loop');
  await page.getByTestId('tpl-0-name').fill('Anna');
  await page.getByTestId('tpl-save').click();
  await page.waitForURL(new RegExp(`/jobs/${jobId}\\?panel=our-loop$`));
  const option = page.locator('[data-testid="panel-select"] option[value="our-loop"]');
  await expect.poll(() => option.textContent()).toBe('Our tougher loop (Anna, Cy)');

  // Delete asks first; Cancel keeps the panel.
  await page.getByTestId('delete-panel').click();
  await page.getByTestId('delete-panel-dialog').waitFor();
  expect(await page.getByTestId('delete-panel-dialog').textContent()).toMatch(
    /Delete the panel “Our tougher loop”\?.*keep their panelists,\s+scorecards and debrief/s,
  );
  await ui.shot('panel-template-delete');
  await page.getByRole('button', { name: 'Cancel' }).click();
  expect(await option.count()).toBe(1);
  await page.getByTestId('delete-panel').click();
  await page.getByTestId('delete-panel-confirm').click();
  await expect.poll(() => option.count()).toBe(0);
  expect(await page.getByTestId('panel-select').inputValue()).toBe('');

  // The session had with it still shows its panel as it was.
  await page.goto(sessionUrl);
  await page.getByTestId('panelists').waitFor();
  expect(await page.getByTestId('panelists').locator('.panelist').count()).toBe(2);
  expect(await page.getByTestId('panelists').textContent()).toMatch(/Ana\b/);
}, 120_000);
