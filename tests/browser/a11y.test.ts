// Accessibility in real Chromium (Debian) against the real stack: an axe-core scan of every page in the light
// and dark colour schemes, a phone-sized viewport without horizontal scrolling, and a keyboard Tab-through.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';
import { smallPanel } from '../support/panel.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let stack: TestStack;
let page: Page;
let shot: BrowserStack['shot'];
let ui: BrowserStack;
let client: ReturnType<typeof apiClient>;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

beforeAll(async () => {
  ui = await startBrowserStack({}, { reducedMotion: 'reduce' });
  ({ stack, page, shot } = ui);
  client = apiClient(stack.baseUrl);
});

afterAll(() => ui?.close());

/** Serious or critical axe violations on the current page, one readable line each. */
async function seriousViolations(): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown }> } }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations as Violation[];
  });
  if (process.env.A11Y_VERBOSE)
    for (const v of violations)
      console.log(`${page.url()} ${v.id} [${v.impact}] ${JSON.stringify(v.nodes[0]?.target)}`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} [${v.impact}] ${v.help} — ${JSON.stringify(v.nodes[0]?.target)} (${v.nodes.length} nodes)`,
    );
}

const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

it('has no serious axe violations on any page, in light and dark, and fits a phone', async () => {
  const jobId = await createReadyJob(client);
  const sessionId = await client.answeredSession(jobId);
  const docs = await client.call<{ id: string }[]>('GET', `/api/jobs/${jobId}/documents`);
  expect(docs.json.length).toBeGreaterThan(0);
  const docId = docs.json[0]!.id;
  // A review request with a share link: the candidate's page, and the reviewer's form behind the link.
  const review = await client.call<{ id: string; share: { token: string } }>(
    'POST',
    `/api/sessions/${sessionId}/reviews`,
    {
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      share: { expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    },
  );
  expect(review.status).toBe(201);
  // A panel of the user's own: its edit page, and the job page with its Edit and Delete.
  expect((await client.call('POST', '/api/panel-templates', smallPanel('a11y-panel'))).status).toBe(201);

  const pages: { name: string; path: string; ready: (p: Page) => Promise<unknown>; phone?: boolean }[] = [
    { name: 'progress', path: '/', ready: (p) => p.locator('main h1').waitFor(), phone: true },
    { name: 'jobs', path: '/jobs', ready: (p) => p.getByTestId('job-title').waitFor() },
    { name: 'job', path: `/jobs/${jobId}`, ready: (p) => p.getByTestId('start-session').waitFor() },
    {
      name: 'document',
      path: `/jobs/${jobId}/documents/${docId}`,
      ready: (p) => p.getByTestId('document-text').waitFor(),
    },
    {
      name: 'panel-template',
      path: `/panels/new?job=${jobId}`,
      ready: (p) => p.getByTestId('tpl-save').waitFor(),
      phone: true,
    },
    {
      name: 'panel-template-edit',
      path: `/panels/a11y-panel/edit?job=${jobId}`,
      ready: (p) => p.getByTestId('tpl-save').waitFor(),
      phone: true,
    },
    {
      name: 'job-own-panel',
      path: `/jobs/${jobId}?panel=a11y-panel`,
      ready: (p) => p.getByTestId('panel-actions').waitFor(),
    },
    { name: 'sessions', path: '/sessions', ready: (p) => p.locator('main h1').waitFor() },
    {
      name: 'session',
      path: `/sessions/${sessionId}`,
      ready: (p) => p.getByTestId('feedback-panel').waitFor({ timeout: 30_000 }),
      phone: true,
    },
    { name: 'admin', path: '/admin', ready: (p) => p.getByTestId('admin-runs').waitFor() },
    { name: 'reviews', path: '/reviews', ready: (p) => p.getByTestId('requested-reviews').waitFor() },
    {
      name: 'review-request',
      path: `/reviews/${review.json.id}`,
      ready: (p) => p.getByTestId('reviewed-answer').waitFor(),
      phone: true,
    },
    {
      name: 'reviewer',
      path: `/shared-reviews/${review.json.share.token}`,
      // The form is behind "Start reviewing" the first time; the seat is then held for this browser.
      ready: async (p) => {
        await p.getByTestId('claim-review').or(p.getByTestId('submit-review')).waitFor();
        if (await p.getByTestId('claim-review').isVisible()) await p.getByTestId('claim-review').click();
        await p.getByTestId('submit-review').waitFor();
      },
      phone: true,
    },
  ];

  // What loads after the page's own content, given a moment. A page that follows a stream live (a session,
  // a review request, a reviewer's page) never goes network-idle: waiting for that would spend the whole
  // default timeout (30 s) on each such page and scheme.
  const settled = () => page.waitForLoadState('networkidle', { timeout: 2_000 }).catch(() => {});

  const failures: string[] = [];
  const check = async (label: string) => {
    for (const v of await seriousViolations()) failures.push(`${label}: ${v}`);
  };

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1200, height: 900 });
    for (const p of pages) {
      await page.goto(stack.baseUrl + p.path);
      await p.ready(page);
      await settled();
      await check(`${p.name} (${scheme})`);
      if (scheme === 'light') await shot(`a11y-${p.name}`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const p of pages.filter((x) => x.phone)) {
      await page.goto(stack.baseUrl + p.path);
      await p.ready(page);
      await settled();
      await check(`${p.name} (${scheme}, phone)`);
      if (!(await noOverflow())) failures.push(`${p.name} (${scheme}, phone): horizontal overflow`);
      if (scheme === 'dark') await shot(`a11y-${p.name}-phone-dark`);
    }
  }
  // The score table, shown, scrolls sideways inside its own region on a phone, not the page.
  await page.goto(stack.baseUrl);
  await page.getByRole('button', { name: /Show the data as a table/ }).click();
  await page.getByTestId('score-table').waitFor();
  await check('progress table (dark, phone)');
  if (!(await noOverflow())) failures.push('progress table (dark, phone): horizontal overflow');

  await page.setViewportSize({ width: 1200, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(failures, failures.join('\n')).toEqual([]);
  // Every page in two schemes, some on a phone too, on two shared cores.
}, 120_000);

it('reaches the answer box and then its submit button by Tab, each with a visible focus ring', async () => {
  const jobId = await createReadyJob(client);
  const res = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'text',
    rounds: 1,
  });
  const id = res.json.id;
  await page.goto(`${stack.baseUrl}/sessions/${id}`);
  await expect
    .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 30_000 })
    .toBe('awaiting_answer');
  await page.getByTestId('answer-input').fill(ANSWER);
  // Start from the body, as a keyboard user arriving on the page would.
  await page.evaluate(() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
  });

  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { testid: null, outline: 'none' };
      const s = getComputedStyle(el);
      return {
        testid: el.getAttribute('data-testid'),
        outline: s.outlineStyle === 'none' || s.outlineWidth === '0px' ? 'none' : s.outlineStyle,
      };
    });

  const order: (string | null)[] = [];
  let sawInput = false;
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focused();
    order.push(f.testid);
    expect(f.outline, `focus ring on ${f.testid ?? 'element'} #${i}`).not.toBe('none');
    if (f.testid === 'answer-input') sawInput = true;
    if (f.testid === 'answer-submit') break;
  }
  expect(sawInput, order.join(' → ')).toBe(true);
  expect(order.at(-1), order.join(' → ')).toBe('answer-submit');
  expect(order.indexOf('answer-input')).toBeLessThan(order.indexOf('answer-submit'));
  await shot('a11y-session-focus');
});
