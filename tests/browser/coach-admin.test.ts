// Promote and roll back coach versions from the Admin page in real Chromium (Debian), against the real
// stack and a REAL MLflow registry (tests/support/mlflow.ts).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_COACH_VERSION } from '../../agents/versions.js';
import { registerCoachVersion } from '../../agents/registry/coach-registry.js';
import { MlflowClient } from '../../agents/registry/mlflow.js';
import { startMlflow, type MlflowServer } from '../support/mlflow.js';
import { startBrowserStack, type BrowserStack } from '../support/browser.js';

let server: MlflowServer | undefined;
let ui: BrowserStack | undefined;

beforeAll(async () => {
  server = await startMlflow();
  expect(await registerCoachVersion(server.url, DEFAULT_COACH_VERSION)).toBe('1');
  expect(
    await registerCoachVersion(server.url, {
      ...DEFAULT_COACH_VERSION,
      version: 'coach-prompts@2',
      temperature: 0.1,
    }),
  ).toBe('2');
  await new MlflowClient(server.url).setModelAlias('coach', 'production', '1');
  ui = await startBrowserStack({ MLFLOW_TRACKING_URI: server.url });
}, 240_000);

afterAll(async () => {
  await ui?.close();
  await server?.stop();
});

const production = async () =>
  (await new MlflowClient(server!.url).getModelVersionByAlias('coach', 'production'))?.version;

it('promotes v2 from the Admin page, then rolls back to v1', async () => {
  const { page, stack, shot } = ui!;
  await page.goto(`${stack.baseUrl}/admin`);
  const card = page.getByTestId('coach-version');
  await expect.poll(() => card.getByTestId('coach-registry-version').count(), { timeout: 15_000 }).toBe(2);
  expect(await card.getByTestId('coach-running').textContent()).toBe('coach-prompts@1');
  expect(await card.locator('[data-production="true"]').getAttribute('data-version')).toBe('1');
  expect(await card.getByTestId('coach-rollback').count()).toBe(0);

  await card.getByRole('button', { name: 'Promote v2 to production' }).click();
  await expect
    .poll(() => card.getByTestId('coach-running').textContent(), { timeout: 15_000 })
    .toBe('coach-prompts@2');
  expect(await card.getByTestId('coach-message').textContent()).toMatch(/Promoted v1 → v2/);
  await expect
    .poll(() => card.locator('[data-production="true"]').getAttribute('data-version'), { timeout: 10_000 })
    .toBe('2');
  expect(await production()).toBe('2');
  expect(stack.services.coach.version?.version).toBe('coach-prompts@2');
  await shot('admin-coach-promoted');

  await card.getByRole('button', { name: 'Roll back to v1' }).click();
  await expect
    .poll(() => card.getByTestId('coach-running').textContent(), { timeout: 15_000 })
    .toBe('coach-prompts@1');
  expect(await card.getByTestId('coach-message').textContent()).toMatch(/Rolled back v2 → v1/);
  expect(await production()).toBe('1');
  expect(stack.services.coach.version?.version).toBe('coach-prompts@1');
});
