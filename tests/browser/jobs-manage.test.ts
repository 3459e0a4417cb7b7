// Practice setup with an interviewer persona, editing a job and deleting it, in real Chromium (Debian)
// against the real stack with the built UI.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createReadyJob, JOB } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;
let client: ReturnType<typeof apiClient>;

beforeAll(async () => {
  ui = await startBrowserStack({});
  ({ stack, page, shot } = ui);
  client = apiClient(stack.baseUrl);
});

afterAll(() => ui?.close());

describe('practice setup', () => {
  it('starts a session with the tough interviewer, who introduces itself and asks for numbers', async () => {
    const jobId = await createReadyJob(client);
    await page.goto(`${stack.baseUrl}/jobs/${jobId}`);
    const picker = page.getByTestId('persona-picker');
    await picker.waitFor();
    expect(await page.getByTestId('persona-neutral').isChecked()).toBe(true);
    await page.getByText('Tough', { exact: true }).click();
    expect(await page.getByTestId('persona-tough').isChecked()).toBe(true);
    await shot('persona-setup');
    await page.getByTestId('start-session').click();
    await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
    await expect
      .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('awaiting_answer');
    const question = (await page.getByTestId('coach-question').textContent())!;
    expect(question).toMatch(/^Let's get straight to it\. I will push for specifics\./);
    expect(question).toMatch(/in numbers\?$/);
    const sessionId = page.url().split('/').pop()!;
    expect((await client.call<{ persona: string }>('GET', `/api/sessions/${sessionId}`)).json.persona).toBe(
      'tough',
    );
    // A story with a result but no number: the tough interviewer follows up before coaching.
    await page
      .getByTestId('answer-input')
      .fill(
        'Our clinic waitlist was long. I called every patient on it and rebooked them. As a result the waitlist shrank and patients were happier.',
      );
    await page.getByTestId('answer-submit').click();
    await expect
      .poll(() => page.getByTestId('coach-question').last().textContent(), { timeout: 30_000 })
      .toMatch(/Give me the numbers/);
  });
});

describe('a job', () => {
  it('is edited on its page: the new title shows and a changed text is indexed again', async () => {
    const jobId = await createReadyJob(client);
    await page.goto(`${stack.baseUrl}/jobs/${jobId}`);
    await page.getByTestId('edit-job').click();
    const title = page.getByTestId('edit-title');
    await expect.poll(() => title.inputValue(), { timeout: 10_000 }).toBe(JOB.title);
    expect(await page.getByTestId('edit-description').inputValue()).toBe(JOB.description);
    await title.fill('Senior PM, Scheduling');
    await page
      .getByTestId('edit-notes')
      .fill('The panel includes the head of clinics; expect questions on waitlist automation.');
    expect(await page.getByTestId('edit-reindex-note').isVisible()).toBe(true);
    await shot('job-edit');
    await page.getByTestId('edit-save').click();
    await expect
      .poll(() => page.locator('h1').textContent(), { timeout: 10_000 })
      .toMatch(/Senior PM, Scheduling/);
    expect(await page.getByTestId('job-edit-form').count()).toBe(0);
    const notes = page.getByTestId('doc-row').filter({ hasText: 'Notes' });
    await expect
      .poll(() => notes.getAttribute('data-stage', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
      .toBe('indexed');
    const hits = await client.call<{ results: { text: string }[] }>(
      'GET',
      `/api/jobs/${jobId}/search?q=waitlist%20automation`,
    );
    expect(hits.json.results.some((r) => r.text.includes('waitlist automation'))).toBe(true);
  });

  it('is deleted after a confirmation that names what goes with it', async () => {
    const jobId = await createReadyJob(client);
    const session = await client.call<{ id: string }>('POST', '/api/sessions', {
      jobId,
      module: 'behavioral',
      mode: 'text',
      rounds: 1,
    });
    expect(session.status).toBe(201);
    await page.goto(`${stack.baseUrl}/jobs/${jobId}`);
    await page.getByTestId('delete-job').click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByTestId('delete-job-contents').waitFor();
    const text = (await dialog.textContent())!;
    expect(text).toContain(`Delete “${JOB.title}”?`);
    expect(text).toMatch(/2 documents: Job description, Resume/);
    expect(text).toMatch(/1 practice session /);
    expect(text).toMatch(/search index/);
    await shot('job-delete-confirm');
    // Cancel keeps it.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    expect((await client.call('GET', `/api/jobs/${jobId}`)).status).toBe(200);

    await page.getByTestId('delete-job').click();
    await page.getByTestId('delete-job-confirm').click();
    await page.waitForURL(/\/jobs$/, { timeout: 60_000 });
    expect((await client.call('GET', `/api/jobs/${jobId}`)).status).toBe(404);
    expect((await client.call('GET', `/api/sessions/${session.json.id}`)).status).toBe(404);
    await expect.poll(() => page.locator(`a[href="/jobs/${jobId}"]`).count(), { timeout: 10_000 }).toBe(0);
  });
});
