// Stored XSS, in real Chromium (Debian) against the real stack with the built UI: HTML and JavaScript
// payloads in a job's title and company, a pasted document, an uploaded document's name and text, and an
// answer. Every page must show them as text, run none of them (no dialog, no global flag set, no inline
// handler or javascript: link in the DOM), and the Markdown and PDF exports must be inert downloads.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDocument } from '../../ingestion/loaders/index.js';
import { ANSWER, apiClient } from '../support/client.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

/** Each payload sets window.__xss to its own name if it ever runs; one of them opens a dialog instead. */
const P = {
  img: `<img src=x onerror="window.__xss='img'">`,
  script: `<script>window.__xss='script'</script>`,
  svg: `<svg onload="window.__xss='svg'"><circle r=1></circle></svg>`,
  mdLink: `[open me](javascript:window.__xss='mdLink')`,
  aLink: `<a href="javascript:window.__xss='aLink'">open</a>`,
  iframe: `<iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  alert: `<img src=y onerror=alert('xss')>`,
};
const TITLE = `Product Manager ${P.img}`;
const COMPANY = `${P.script}Contoso`;
const DESCRIPTION = `Contoso Health runs scheduling for 300 clinics. ${P.svg}
Requirements
Discovery with clinicians and front-desk staff. ${P.mdLink} Running A/B tests. ${P.iframe}
Working with engineering on a quarterly roadmap. ${P.alert}`;
const RESUME = `Sam Okafor - Product Manager, CityRide. ${P.aLink} Ran 40 A/B tests, raising bookings by 12%.`;
const UPLOAD_NAME = `<img src=x onerror=window.__xss='name'>.md`;
const UPLOAD_TEXT = `# Notes ${P.script}\n\nI led discovery with 60 drivers. ${P.mdLink}\n\n<img src=z onerror="window.__xss='upload'">\n`;
const INJECTED_ANSWER = `${ANSWER}\n${P.svg} ${P.aLink} ${P.img}`;

let ui: BrowserStack;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  ui = await startBrowserStack({});
  page = ui.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

afterAll(() => ui?.close());

/** What must hold on every page: nothing ran, and nothing able to run made it into the DOM. */
async function expectInert(where: string) {
  await page.waitForLoadState('networkidle');
  const state = await page.evaluate(() => ({
    flag: (window as unknown as { __xss?: string }).__xss ?? null,
    handlers: [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`),
    ),
    jsLinks: [...document.querySelectorAll('[href],[src],[action],[formaction]')]
      .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? '')
      .filter((u) => /^\s*javascript:/i.test(u)),
    injected: document.querySelectorAll(
      'img[src="x"], img[src="y"], img[src="z"], svg[onload], iframe[srcdoc]',
    ).length,
  }));
  expect(state, where).toEqual({ flag: null, handlers: [], jsLinks: [], injected: 0 });
  expect(dialogs, where).toEqual([]);
}

const bodyText = () => page.evaluate(() => document.body.innerText);

it('shows HTML and JavaScript in user text as text on every page, and runs none of it', async () => {
  const { baseUrl } = ui.stack;
  // The control: rendered as HTML, the payloads do run, and the checks see it.
  await page.setContent(`<body>${P.img}${P.alert}</body>`);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBe('img');
  await expect.poll(() => dialogs.length).toBe(1);
  dialogs.length = 0;

  const client = apiClient(baseUrl);
  const created = await client.call<{ id: string }>('POST', '/api/jobs', {
    title: TITLE,
    company: COMPANY,
    seniority: 'mid',
    description: DESCRIPTION,
    resume: RESUME,
  });
  expect(created.status).toBe(201);
  const jobId = created.json.id;
  await expect
    .poll(
      async () =>
        (await client.call<{ ingestion: { status: string } }>('GET', `/api/jobs/${jobId}`)).json.ingestion
          .status,
      {
        timeout: 60_000,
      },
    )
    .toBe('ready');

  // The job list and the job page: title and company as text.
  await page.goto(`${baseUrl}/jobs`);
  await expectInert('jobs list');
  expect(await bodyText()).toContain(TITLE);
  await page.goto(`${baseUrl}/jobs/${jobId}`);
  await page.getByTestId('docs-dropzone').waitFor();
  await expectInert('job page');
  expect(await bodyText()).toContain(TITLE);

  // An upload whose name and text are payloads, through the page's own file input.
  await page.getByTestId('docs-kind-select').selectOption('notes');
  await page
    .getByTestId('docs-file-input')
    .setInputFiles([{ name: UPLOAD_NAME, mimeType: 'text/markdown', buffer: Buffer.from(UPLOAD_TEXT) }]);
  const row = page.getByTestId('doc-row').filter({ hasText: UPLOAD_NAME });
  await expect
    .poll(() => row.getAttribute('data-status', { timeout: 1_000 }).catch(() => null), { timeout: 60_000 })
    .toBe('ready');
  await expectInert('job page after the upload');

  // Each document's own page shows its text as text.
  const docs = await client.call<{ id: string; name: string }[]>('GET', `/api/jobs/${jobId}/documents`);
  expect(docs.json.length).toBeGreaterThanOrEqual(3);
  for (const d of docs.json) {
    await page.goto(`${baseUrl}/jobs/${jobId}/documents/${d.id}`);
    await expectInert(`document ${d.name}`);
  }
  // The uploaded file's name as text; its Markdown was read to plain text by the loader (tags dropped).
  const uploaded = docs.json.find((d) => d.name === UPLOAD_NAME)!;
  await page.goto(`${baseUrl}/jobs/${jobId}/documents/${uploaded.id}`);
  await page.waitForLoadState('networkidle');
  expect(await bodyText()).toContain(UPLOAD_NAME);
  expect(await bodyText()).toContain('I led discovery with 60 drivers.');
  // The pasted job description is kept as typed, and shown as typed.
  const jd = docs.json.find((d) => d.id !== uploaded.id && /description/i.test(d.name)) ?? docs.json[0]!;
  await page.goto(`${baseUrl}/jobs/${jobId}/documents/${jd.id}`);
  await page.waitForLoadState('networkidle');
  expect(await bodyText()).toContain(`onload="window.__xss='svg'"`);

  // A practice round answered with payloads, watched live on the session page.
  const session = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  expect(session.status).toBe(201);
  const sessionId = session.json.id;
  await page.goto(`${baseUrl}/sessions/${sessionId}`);
  await client.events(sessionId, {
    timeoutMs: 90_000,
    until: (e) => {
      if (e.data.type === 'question')
        void client.call('POST', `/api/sessions/${sessionId}/answers`, {
          text: INJECTED_ANSWER,
          turnId: e.data.turnId,
        });
      return e.data.type === 'feedback';
    },
  });
  await page.reload();
  await expect.poll(bodyText, { timeout: 30_000 }).toContain(`onload="window.__xss='svg'"`);
  await expectInert('session page');

  for (const route of ['/', '/sessions', '/admin']) {
    await page.goto(`${baseUrl}${route}`);
    await expectInert(route);
  }
  await ui.shot('xss-session');

  // Exports: downloads, never documents the browser renders; the PDF carries no actions or scripts.
  await page.goto(`${baseUrl}/sessions/${sessionId}`);
  for (const [testId, type] of [
    ['export-md', 'text/markdown'],
    ['export-pdf', 'application/pdf'],
  ] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
    expect(download.suggestedFilename()).toMatch(testId === 'export-md' ? /\.md$/ : /\.pdf$/);
    const res = await fetch(`${baseUrl}/api/sessions/${sessionId}/export.${testId.slice(7)}`);
    expect(res.headers.get('content-type')).toContain(type);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (type === 'application/pdf') {
      const raw = Buffer.from(bytes).toString('latin1');
      expect(raw).not.toMatch(
        /\/(JavaScript|JS|OpenAction|AA|Launch|SubmitForm|ImportData|RichMedia|EmbeddedFile)\b/,
      );
      const text = (await loadDocument(bytes, 'export.pdf')).text;
      expect(text).toContain(TITLE.slice(0, 20));
    } else {
      expect(Buffer.from(bytes).toString('utf8')).toContain('Product Manager');
    }
    await expectInert(`after the ${testId} download`);
  }
}, 300_000);
