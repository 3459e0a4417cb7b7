// Coach promote and rollback through the admin API, against a REAL MLflow registry (tests/support/mlflow.ts)
// and the real app stack: the alias moves in the registry and the app runs the promoted version at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COACH_VERSION, type CoachVersion } from '../../agents/versions.js';
import { registerCoachVersion } from '../../agents/registry/coach-registry.js';
import { MlflowClient } from '../../agents/registry/mlflow.js';
import { apiClient } from '../support/client.js';
import { startMlflow, type MlflowServer } from '../support/mlflow.js';
import { startStack, type TestStack } from '../support/stack.js';

const V2: CoachVersion = { ...DEFAULT_COACH_VERSION, version: 'coach-prompts@2', temperature: 0.1 };

let server: MlflowServer | undefined;
let stack: TestStack | undefined;
let client: ReturnType<typeof apiClient>;

interface Registry {
  configured: boolean;
  previous: string | null;
  versions: { registryVersion: string; version: string | null; aliases: string[] }[];
}
interface Move {
  from: string | null;
  to: string;
  running: { version: string; source: string; registryVersion: string | null };
}

/** The alias as MLflow itself reports it, not through the code under test. */
const production = async () =>
  (await new MlflowClient(server!.url).getModelVersionByAlias('coach', 'production'))?.version;

beforeAll(async () => {
  server = await startMlflow();
  stack = await startStack({ MLFLOW_TRACKING_URI: server.url, MLFLOW_UI_URL: server.url });
  client = apiClient(stack.baseUrl);
}, 240_000);

afterAll(async () => {
  await stack?.close();
  await server?.stop();
});

describe('coach versions through the admin API', () => {
  it('lists nothing before a version is registered, and refuses a rollback with nowhere to go', async () => {
    const empty = await client.call<Registry>('GET', '/api/admin/coach/versions');
    expect(empty.status).toBe(200);
    // The Admin page links to the MLflow UI the deployment names.
    expect(empty.json).toEqual({ configured: true, versions: [], previous: null, ui: server!.url });
    const rollback = await client.call<{ detail: string }>('POST', '/api/admin/coach/rollback');
    expect(rollback.status).toBe(409);
    expect(rollback.json.detail).toMatch(/nothing to roll back to/);
  });

  it('promotes a registered version: the alias moves and the app runs it', async () => {
    expect(await registerCoachVersion(server!.url, DEFAULT_COACH_VERSION)).toBe('1');
    expect(await registerCoachVersion(server!.url, V2)).toBe('2');

    const first = await client.call<Move>('POST', '/api/admin/coach/promote', { version: '1' });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({
      from: null,
      to: '1',
      running: { source: 'mlflow', registryVersion: '1' },
    });

    const second = await client.call<Move>('POST', '/api/admin/coach/promote', { version: 2 });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      from: '1',
      to: '2',
      running: { version: 'coach-prompts@2', source: 'mlflow', registryVersion: '2' },
    });
    expect(await production()).toBe('2');
    expect(stack!.services.coach.version).toEqual(V2);

    const listed = await client.call<Registry>('GET', '/api/admin/coach/versions');
    expect(listed.json.previous).toBe('1');
    expect(listed.json.versions.map((v) => [v.registryVersion, v.version, v.aliases])).toEqual([
      ['2', 'coach-prompts@2', ['production']],
      ['1', 'coach-prompts@1', []],
    ]);
  });

  it('rolls back to the version production left, and a second rollback undoes the first', async () => {
    const back = await client.call<Move>('POST', '/api/admin/coach/rollback');
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({
      from: '2',
      to: '1',
      running: { version: 'coach-prompts@1', registryVersion: '1' },
    });
    expect(await production()).toBe('1');
    expect(stack!.services.coach.version).toEqual(DEFAULT_COACH_VERSION);

    const again = await client.call<Move>('POST', '/api/admin/coach/rollback');
    expect(again.json).toMatchObject({ from: '1', to: '2' });
    expect(await production()).toBe('2');
  });

  it('refuses a version that does not exist (404) or is not a number (400), and leaves production alone', async () => {
    const missing = await client.call<{ detail: string }>('POST', '/api/admin/coach/promote', {
      version: '99',
    });
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    expect(missing.json.detail).toMatch(/coach version 99/);
    const bad = await client.call<{ detail: string }>('POST', '/api/admin/coach/promote', {
      version: 'latest',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.detail).toMatch(/registry version number/);
    expect(await production()).toBe('2');
  });
});

describe('without a registry', () => {
  let plain: TestStack | undefined;
  afterAll(() => plain?.close());

  it('lists no versions and refuses to move one, naming MLFLOW_TRACKING_URI', async () => {
    plain = await startStack({ MLFLOW_TRACKING_URI: '' });
    const c = apiClient(plain.baseUrl);
    expect((await c.call<Registry>('GET', '/api/admin/coach/versions')).json).toEqual({
      configured: false,
      versions: [],
      previous: null,
      ui: null,
    });
    const res = await c.call<{ detail: string }>('POST', '/api/admin/coach/promote', { version: '1' });
    expect(res.status).toBe(409);
    expect(res.json.detail).toMatch(/MLFLOW_TRACKING_URI/);
  });
});
