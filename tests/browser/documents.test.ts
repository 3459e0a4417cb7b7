// Documents in real Chromium (Debian) against the real stack: upload with live stages, a citation opening
// its passage, and an admin re-index.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiClient, createReadyJob } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;

const NOTES_MD = `# Zephyr rollout

I led the Zephyr rollout of the clinic booking engine to 300 clinics in nine months.
No-show rates fell by 18% after we added SMS reminders and a one-tap reschedule link.

## Stakeholders

Weekly reviews with front-desk leads kept the scheduling requirements honest.
`;
// The PNG signature and an IHDR chunk: an image, whatever its name says.
const PNG_BYTES = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201e2216bc70000000049454e44ae426082',
  'hex',
);

beforeAll(async () => {
  ui = await startBrowserStack({});
  ({ stack, page, shot } = ui);
});

afterAll(() => ui?.close());

it('uploads documents with live stages, opens a cited passage in its document, and re-indexes as admin', async () => {
  const client = apiClient(stack.baseUrl);
  const jobId = await createReadyJob(client);

  // Upload: one good Markdown file and one image pretending to be a PDF, in one batch.
  await page.goto(`${stack.baseUrl}/jobs/${jobId}`);
  await page.getByTestId('docs-dropzone').waitFor();
  await expect.poll(() => page.getByTestId('doc-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
  await page.getByTestId('docs-kind-select').selectOption('notes');
  await page.getByTestId('docs-file-input').setInputFiles([
    { name: 'zephyr-notes.md', mimeType: 'text/markdown', buffer: Buffer.from(NOTES_MD) },
    { name: 'fake.pdf', mimeType: 'application/pdf', buffer: PNG_BYTES },
  ]);
  const md = page.getByTestId('doc-row').filter({ hasText: 'zephyr-notes.md' });
  const fake = page.getByTestId('doc-row').filter({ hasText: 'fake.pdf' });
  await expect
    .poll(() => md.getAttribute('data-stage', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
    .toBe('indexed');
  expect(await md.getAttribute('data-status')).toBe('ready');
  expect(await md.textContent()).toMatch(/chunks/);
  await expect
    .poll(() => fake.getAttribute('data-status', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
    .toBe('failed');
  expect(await fake.getAttribute('data-stage')).toBe('failed');
  expect(await fake.getByTestId('doc-error').textContent()).toContain('fake.pdf');
  // Dropped files go through the same path; an unsupported type is refused next to its name.
  const dropped = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['not a document'], 'photo.png', { type: 'image/png' }));
    return dt;
  });
  await page.getByTestId('docs-dropzone').dispatchEvent('dragenter', { dataTransfer: dropped });
  await page.getByTestId('docs-dropzone').dispatchEvent('drop', { dataTransfer: dropped });
  const refused = page.getByTestId('upload-row').filter({ hasText: 'photo.png' });
  expect(await refused.getByTestId('doc-error').textContent()).toContain(
    'photo.png: upload one of .pdf, .docx, .html, .htm, .md, .markdown, .txt',
  );
  await shot('5-documents');

  // A citation opens its passage, highlighted, in its document.
  const session = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  expect(session.status).toBe(201);
  await page.goto(`${stack.baseUrl}/sessions/${session.json.id}`);
  await expect
    .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('awaiting_answer');
  const link = page.getByTestId('citation-link').first();
  await link.waitFor();
  const href = (await link.getAttribute('href'))!;
  const chunk = new URL(href, stack.baseUrl).searchParams.get('chunk')!;
  expect(chunk.length).toBeGreaterThan(10);
  await shot('6-citations');
  await link.click();
  await page.waitForURL(/\/jobs\/[0-9a-f-]{36}\/documents\/[0-9a-f-]{36}\?chunk=/);
  const mark = page.getByTestId('cited-passage');
  await mark.waitFor({ state: 'visible' });
  expect(await mark.isVisible()).toBe(true);
  const marked = (await mark.textContent())!.replace(/\s+/g, ' ').trim();
  expect(marked.length).toBeGreaterThan(10);
  // The highlight is (a part of) the cited chunk, found in the document's own text.
  expect(chunk.replace(/\s+/g, ' ')).toContain(marked.slice(0, 40));
  expect(await page.getByTestId('document-text').textContent()).toContain((await mark.textContent())!);
  await shot('7-cited-passage');

  // Admin: re-index the job and watch the run finish.
  await page.goto(stack.baseUrl);
  await page.getByTestId('admin-link').click();
  await page.waitForURL(/\/admin$/);
  await page.getByTestId('admin-runs').waitFor();
  await expect.poll(() => page.getByTestId('run-row').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
  await page.locator(`[data-testid="reindex-job"][data-job-id="${jobId}"]`).click();
  const reindex = page.locator(`[data-testid="run-row"][data-kind="reindex"][data-job-id="${jobId}"]`);
  await reindex.first().waitFor({ timeout: 10_000 });
  await expect.poll(() => reindex.first().getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
  await shot('8-admin-reindexed');
});
