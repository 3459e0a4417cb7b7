// Accounts in real Chromium (Debian) against the real stack in AUTH_MODE=accounts: sent to sign-in,
// sign up, act (the web client's writes carry the CSRF token), sign out, sign in, sign out everywhere.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { JOB } from '../support/client.js';
import type { TestStack } from '../support/stack.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let stack: TestStack;
let page: Page;
let ui: BrowserStack;

beforeAll(async () => {
  ui = await startBrowserStack({ AUTH_MODE: 'accounts', RATE_AUTH: '1000/min' });
  ({ stack, page } = ui);
});
afterAll(() => ui?.close());

async function fillCredentials(email: string, password: string) {
  await page.getByTestId('auth-email').fill(email);
  await page.getByTestId('auth-password').fill(password);
  await page.getByTestId('auth-submit').click();
}

it('signs up, works as that account, signs out and in, and signs out everywhere', async () => {
  // Without a session the app sends the visitor to sign in.
  await page.goto(`${stack.baseUrl}/jobs`);
  await page.waitForURL(/\/signin$/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL(/\/signup$/);

  // A weak password is refused with the server's reason.
  await fillCredentials('browser@example.com', 'short');
  // The browser's own minlength check stops it first; lift it to see the server's answer.
  await page.getByTestId('auth-password').evaluate((el) => el.removeAttribute('minlength'));
  await page.getByTestId('auth-submit').click();
  await expect.poll(() => page.getByTestId('auth-error').textContent()).toMatch(/at least 10 characters/);

  await fillCredentials('browser@example.com', 'a long enough password');
  await page.waitForURL(`${stack.baseUrl}/`);
  await expect.poll(() => page.getByTestId('account-email').textContent()).toBe('browser@example.com');

  // A write from the web client (it echoes the CSRF cookie) succeeds as this account.
  await page.goto(`${stack.baseUrl}/jobs`);
  await page.getByTestId('job-title').fill('Browser Account PM');
  await page.getByTestId('job-company').fill(JOB.company);
  await page.getByTestId('job-description').fill(JOB.description);
  await page.getByTestId('job-submit').click();
  await page.getByTestId('open-job').waitFor();
  const jobs = await page.evaluate(async () => (await fetch('/api/jobs')).json());
  expect(jobs).toEqual([expect.objectContaining({ title: 'Browser Account PM' })]);

  // Sign out: back to sign-in, and the API no longer knows this browser.
  await page.getByTestId('account-email').click();
  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/signin$/);
  expect(await page.evaluate(async () => (await fetch('/api/jobs')).status)).toBe(401);

  // Sign in again: the same account, with its job.
  await fillCredentials('browser@example.com', 'a long enough password');
  await page.waitForURL(`${stack.baseUrl}/`);
  await expect.poll(() => page.getByTestId('account-email').textContent()).toBe('browser@example.com');

  // A second browser (another device) signs in too; "sign out everywhere" ends both.
  const other = await ui.browser.newPage();
  await other.goto(`${stack.baseUrl}/signin`);
  await other.getByTestId('auth-email').fill('browser@example.com');
  await other.getByTestId('auth-password').fill('a long enough password');
  await other.getByTestId('auth-submit').click();
  await other.waitForURL(`${stack.baseUrl}/`);
  expect(await other.evaluate(async () => (await fetch('/api/me')).status)).toBe(200);

  await page.getByTestId('account-email').click();
  await page.getByTestId('sign-out-everywhere').click();
  await page.waitForURL(/\/signin$/);
  expect(await other.evaluate(async () => (await fetch('/api/me')).status)).toBe(401);
  await other.close();
});
