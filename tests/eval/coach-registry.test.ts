// Coach versions in a REAL MLflow model registry (tests/support/mlflow.ts): register, promote, roll back,
// load at start and reload through the admin API of the real app stack; and the fallback to the repo file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { critiquePrompt } from '../../agents/prompts/index.js';
import { DEFAULT_COACH_VERSION, type CoachVersion } from '../../agents/versions.js';
import type { CoachVersionInfo } from '../../api/context.js';
import {
  COACH_MODEL,
  listCoachVersions,
  loadCoachVersion,
  PREVIOUS_TAG,
  promoteCoach,
  registerCoachVersion,
  rollbackCoach,
  VERSION_TAG,
} from '../../agents/registry/coach-registry.js';
import type { MlflowModelVersion, MlflowRegisteredModel, MlflowRun } from '../../agents/registry/mlflow.js';
import { startMlflow, type MlflowServer } from '../support/mlflow.js';
import { freePort } from '../support/processes.js';
import { startStack, type TestStack } from '../support/stack.js';

const V2: CoachVersion = {
  ...DEFAULT_COACH_VERSION,
  version: 'coach-prompts@2',
  prompts: {
    ...DEFAULT_COACH_VERSION.prompts,
    critique: `In two sentences, name the strongest and the weakest part of the answer. Rubric: {{rubric}}
<question>{{question}}</question>
<answer>{{answer}}</answer>
<documents>
{{passages}}
</documents>`,
  },
  temperature: 0.1,
};
const INPUT = { question: 'Q?', answer: 'A.', rubric: 'star 3/5', passages: [] };

let server: MlflowServer | undefined;
let api: string;

/** Straight REST calls, so the assertions do not rest on the client under test. */
async function rest<T>(endpoint: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${api}/${endpoint}`, init);
  expect(res.status, `${init?.method ?? 'GET'} ${endpoint}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
}
const post = <T>(endpoint: string, body: unknown) =>
  rest<T>(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const production = async () =>
  (
    await rest<{ model_version: MlflowModelVersion }>(
      `registered-models/alias?name=${COACH_MODEL}&alias=production`,
    )
  ).model_version.version;

beforeAll(async () => {
  server = await startMlflow();
  api = `${server.url}/api/2.0/mlflow`;
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

describe('coach versions in the MLflow registry', () => {
  it('without a registered model, loading falls back to the repo file with a warning', async () => {
    const warnings: string[] = [];
    const loaded = await loadCoachVersion({ trackingUri: server!.url, warn: (m) => warnings.push(m) });
    expect(loaded).toMatchObject({ source: 'repo', registryVersion: null, version: DEFAULT_COACH_VERSION });
    expect(loaded.warning).toBe('the MLflow model "coach" has no @production version');
    expect(warnings).toEqual([`${loaded.warning}; using the repo's coach-prompts@1`]);
  });

  it('registers versions carrying the whole CoachVersion, each from a run that records its settings', async () => {
    expect(await registerCoachVersion(server!.url, DEFAULT_COACH_VERSION)).toBe('1');
    expect(await registerCoachVersion(server!.url, V2)).toBe('2');
    const { model_version: v2 } = await rest<{ model_version: MlflowModelVersion }>(
      `model-versions/get?name=${COACH_MODEL}&version=2`,
    );
    const tag = v2.tags?.find((t) => t.key === VERSION_TAG)?.value;
    expect(JSON.parse(tag!)).toEqual(V2);
    expect(v2.description).toBe('coach-prompts@2');
    expect(v2.source).toBe(`runs:/${v2.run_id}/coach`);
    const { run } = await rest<{ run: MlflowRun }>(`runs/get?run_id=${v2.run_id}`);
    expect(Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]))).toEqual({
      prompt_version: 'coach-prompts@2',
      model: '(LLM_MODEL)',
      temperature: '0.1',
    });
    expect(run.info.status).toBe('FINISHED');
  });

  it('promote 1 then 2: the app loads v2 and renders its critique template', async () => {
    expect(await promoteCoach(server!.url, 1)).toEqual({ from: null, to: '1' });
    expect(await promoteCoach(server!.url, '2')).toEqual({ from: '1', to: '2' });
    expect(await production()).toBe('2');
    const { registered_model } = await rest<{ registered_model: MlflowRegisteredModel }>(
      `registered-models/get?name=${COACH_MODEL}`,
    );
    expect(registered_model.tags).toContainEqual({ key: PREVIOUS_TAG, value: '1' });

    const loaded = await loadCoachVersion({ trackingUri: server!.url });
    expect(loaded).toMatchObject({ source: 'mlflow', registryVersion: '2', warning: null });
    expect(loaded.version).toEqual(V2);
    expect(critiquePrompt(INPUT, loaded.version).user).toMatch(/^In two sentences, name the strongest/);
    expect(critiquePrompt(INPUT).user).toMatch(/^Critique the candidate's answer in 3-5 sentences/);
  });

  it('rollback moves the alias back to v1; a second rollback undoes the first', async () => {
    expect(await rollbackCoach(server!.url)).toEqual({ from: '2', to: '1' });
    expect(await production()).toBe('1');
    const loaded = await loadCoachVersion({ trackingUri: server!.url });
    expect(loaded).toMatchObject({ source: 'mlflow', registryVersion: '1' });
    expect(loaded.version).toEqual(DEFAULT_COACH_VERSION);

    expect(await rollbackCoach(server!.url)).toEqual({ from: '1', to: '2' });
    expect(await production()).toBe('2');
    expect(await rollbackCoach(server!.url)).toEqual({ from: '2', to: '1' });
  });

  it('lists the versions, newest first, with the alias', async () => {
    const list = await listCoachVersions(server!.url);
    expect(list.map((v) => [v.registryVersion, v.version, v.temperature, v.aliases])).toEqual([
      ['2', 'coach-prompts@2', 0.1, []],
      ['1', 'coach-prompts@1', null, ['production']],
    ]);
  });

  it('refuses to promote a version the app could not load; loading one behind the alias falls back', async () => {
    const { run } = await post<{ run: MlflowRun }>('runs/create', { experiment_id: '0' });
    const { model_version: bad } = await post<{ model_version: MlflowModelVersion }>(
      'model-versions/create',
      {
        name: COACH_MODEL,
        source: `runs:/${run.info.run_id}/coach`,
        run_id: run.info.run_id,
        tags: [{ key: VERSION_TAG, value: JSON.stringify({ ...V2, prompts: { ...V2.prompts, drill: '' } }) }],
      },
    );
    await expect(promoteCoach(server!.url, bad.version)).rejects.toThrow(/prompts\.drill/);
    await expect(promoteCoach(server!.url, 99)).rejects.toThrow(/99/);
    expect(await production()).toBe('1');

    // Moved by hand, around the CLI: the app keeps running the repo prompts rather than failing to start.
    await post('registered-models/alias', { name: COACH_MODEL, alias: 'production', version: bad.version });
    const loaded = await loadCoachVersion({ trackingUri: server!.url });
    expect(loaded).toMatchObject({ source: 'repo', version: DEFAULT_COACH_VERSION });
    expect(loaded.warning).toMatch(/invalid coach version/);
    await post('registered-models/alias', { name: COACH_MODEL, alias: 'production', version: '1' });
  });

  it('an unreachable tracking server falls back to the repo file', async () => {
    const loaded = await loadCoachVersion({ trackingUri: `http://127.0.0.1:${await freePort()}` });
    expect(loaded).toMatchObject({ source: 'repo', registryVersion: null, version: DEFAULT_COACH_VERSION });
    expect(loaded.warning).toMatch(/cannot load the coach@production version from MLflow/);
  });
});

describe('the app runs the production coach version', () => {
  let stack: TestStack | undefined;

  afterAll(async () => {
    await stack?.close();
  });

  it('loads it at start, reports it on GET /api/admin/coach, and reloads it after a promote', async () => {
    expect(await production()).toBe('1');
    stack = await startStack({ MLFLOW_TRACKING_URI: server!.url });
    const get = async () =>
      (await fetch(`${stack!.baseUrl}/api/admin/coach`)).json() as Promise<CoachVersionInfo>;
    expect(await get()).toMatchObject({
      version: 'coach-prompts@1',
      source: 'mlflow',
      registryVersion: '1',
      mode: 'offline',
      model: null,
      warning: null,
    });
    expect(stack.services.coach.version).toEqual(DEFAULT_COACH_VERSION);

    await promoteCoach(server!.url, 2);
    // Not before a reload: the alias moved, the app still runs what it loaded.
    expect((await get()).registryVersion).toBe('1');
    const res = await fetch(`${stack.baseUrl}/api/admin/coach/reload`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      version: 'coach-prompts@2',
      source: 'mlflow',
      registryVersion: '2',
    });
    expect(await get()).toMatchObject({ version: 'coach-prompts@2', registryVersion: '2' });
    // The worker's coach context is the same object: its next run renders v2's templates.
    expect(stack.services.coach.version).toEqual(V2);
    const meta = (await (await fetch(`${stack.baseUrl}/api/meta`)).json()) as { coach: unknown };
    expect(meta.coach).toEqual({ mode: 'offline', model: null });
  });

  it('a reload the registry cannot serve keeps the running version and says why', async () => {
    const reload = async () =>
      (await (
        await fetch(`${stack!.baseUrl}/api/admin/coach/reload`, { method: 'POST' })
      ).json()) as CoachVersionInfo;
    // Version 3 is the invalid one registered above.
    await post('registered-models/alias', { name: COACH_MODEL, alias: 'production', version: '3' });
    const kept = await reload();
    expect(kept).toMatchObject({ version: 'coach-prompts@2', source: 'mlflow', registryVersion: '2' });
    expect(kept.warning).toMatch(/invalid coach version/);
    expect(stack!.services.coach.version).toEqual(V2);

    await rollbackCoach(server!.url);
    expect(await reload()).toMatchObject({ version: 'coach-prompts@1', registryVersion: '1', warning: null });
  });

  it('without MLFLOW_TRACKING_URI, reports the repo version', async () => {
    await stack?.close();
    stack = await startStack({ MLFLOW_TRACKING_URI: '' });
    const info = (await (await fetch(`${stack.baseUrl}/api/admin/coach`)).json()) as CoachVersionInfo;
    expect(info).toMatchObject({
      version: 'coach-prompts@1',
      source: 'repo',
      registryVersion: null,
      warning: null,
    });
  });
});
