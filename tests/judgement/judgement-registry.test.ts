// The trained judgement served from a REAL MLflow model registry (tests/support/mlflow.ts) to the real app
// stack: a trained version registered and promoted is what the admin sees and what scores a candidate's
// answer; a worse version is refused unless forced; rollback serves the previous one; and the fallback to the
// repo's weights without a tracking URI, with an unreachable one, or with weights for another embedder.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoachVersion, Session } from '../../contract/index.js';
import { SCORE_DIMENSIONS, type Scores } from '../../core/types.js';
import { loadCorpus } from '../../eval/corpus/schema.js';
import { judgeWith, loadRepoWeights, type JudgementWeights } from '../../agents/judgement/index.js';
import { JUDGEMENT_EMBEDDER_ID, judgementEmbedder } from '../../agents/judgement/embedder.js';
import { describeRegression } from '../../agents/registry/judgement-gate.js';
import {
  JUDGEMENT_MODEL,
  listJudgementVersions,
  loadJudgement,
  promoteJudgement,
  PromotionRefused,
  registerJudgement,
  rollbackJudgement,
} from '../../agents/registry/judgement-registry.js';
import { MlflowClient } from '../../agents/registry/mlflow.js';
import { evaluateJudge } from '../../scripts/eval.js';
import { startMlflow, type MlflowServer } from '../support/mlflow.js';
import { freePort, ROOT } from '../support/processes.js';
import { startStack, type TestStack } from '../support/stack.js';
import { apiClient, createReadyJob } from '../support/client.js';

const options = { embedderId: JUDGEMENT_EMBEDDER_ID };
const repoWeights = loadRepoWeights();
/** Deliberately different weights: every threshold out of reach, so every answer scores 1 on every dimension. */
const harsh: JudgementWeights = {
  ...repoWeights,
  trainedAt: '2026-12-06T09:00:00.000Z',
  answer: {
    ...repoWeights.answer,
    dimensions: Object.fromEntries(
      SCORE_DIMENSIONS.map((d) => [d, { ...repoWeights.answer.dimensions[d], cuts: [1e9, 1e9, 1e9, 1e9] }]),
    ) as JudgementWeights['answer']['dimensions'],
  },
};

let server: MlflowServer | undefined;
let stack: TestStack | undefined;

/**
 * Registers `weights` as train:coach does: evaluated on a few TEST answers (as `evaluated` when they cannot
 * run on the app's embedder), logged, registered.
 */
async function register(weights: JudgementWeights, evaluated = weights): Promise<string> {
  const test = loadCorpus()
    .answers.filter((a) => a.split === 'test')
    // Two stories' answers: one story's variants alone barely vary on some dimensions (kappa 0 by chance).
    .slice(0, 16);
  const result = await evaluateJudge(judgeWith(evaluated, judgementEmbedder()), test, []);
  return (await registerJudgement(server!.url, weights, result.metrics)).version;
}

/** `npm run admin -- <args>` against the test registry and app; its exit code and output. */
const admin = (...args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, IH_BASE: stack!.baseUrl, MLFLOW_TRACKING_URI: server!.url },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });

/** The admin API the Admin page calls, on the test app. */
async function adminApi(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${stack!.baseUrl}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, json: (await res.json()) as unknown };
}

beforeAll(async () => {
  server = await startMlflow();
}, 240_000);

afterAll(async () => {
  await stack?.close();
  await server?.stop();
});

describe('the judgement served from the registry', () => {
  const running = async () => {
    const res = await fetch(`${stack!.baseUrl}/api/admin/coach`);
    expect(res.status).toBe(200);
    return ((await res.json()) as CoachVersion).judgement;
  };
  const reload = async () => {
    const res = await fetch(`${stack!.baseUrl}/api/admin/coach/reload`, { method: 'POST' });
    expect(res.status).toBe(200);
    return ((await res.json()) as CoachVersion).judgement;
  };
  /** The scores a candidate sees for the same answer in a new session. */
  let jobId: string;
  const scoresOfAnAnswer = async (): Promise<Scores> => {
    const client = apiClient(stack!.baseUrl);
    jobId ??= await createReadyJob(client);
    const id = await client.answeredSession(jobId);
    const session = (await client.call<Session>('GET', `/api/sessions/${id}`)).json;
    return session.turns[0]!.feedback!.scores;
  };
  // Each session may ask another question (so other passages): what tells the weights apart is that the
  // deliberately different version scores every answer 1 on every dimension, and the trained one does not.
  const allOnes = (scores: Scores) => SCORE_DIMENSIONS.every((d) => scores[d] === 1);

  it('trained weights registered and promoted are what the app serves and scores with', async () => {
    expect(await register(repoWeights)).toBe('1');
    expect(await promoteJudgement(server!.url, 1, options)).toEqual({ from: null, to: '1', overridden: [] });

    stack = await startStack({ MLFLOW_TRACKING_URI: server!.url });
    expect(await running()).toMatchObject({
      source: 'mlflow',
      registryVersion: '1',
      trainedAt: repoWeights.trainedAt,
      embedder: JUDGEMENT_EMBEDDER_ID,
      active: true,
      warning: null,
    });
    expect(allOnes(await scoresOfAnAnswer())).toBe(false);
  }, 180_000);

  it('refuses a version worse on the test split, naming the dimension and both figures; --force promotes it', async () => {
    expect(await register(harsh)).toBe('2');
    const refused = await promoteJudgement(server!.url, 2, options).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(PromotionRefused);
    const { regressions, message } = refused as PromotionRefused;
    expect(regressions.length).toBeGreaterThan(0);
    for (const r of regressions) {
      expect(r.candidate === null || r.candidate < r.production, JSON.stringify(r)).toBe(true);
      expect(message).toContain(describeRegression(r));
    }
    expect(message).toMatch(/version 2 is worse than production \(version 1\)/);

    // The admin CLI refuses the same way, and nothing moves: the app still serves version 1.
    const cli = await admin('judgement', 'promote', '2');
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`${message}. Promote it anyway with --force`);
    // So does the Admin page's API: 409 with the same reasons.
    const viaApi = await adminApi('POST', '/api/admin/judgement/promote', { version: '2' });
    expect(viaApi.status).toBe(409);
    expect((viaApi.json as { detail: string }).detail).toContain(message);
    expect(await reload()).toMatchObject({ source: 'mlflow', registryVersion: '1' });

    // Forced: the alias moves, the CLI has the app reload, and the admin sees version 2.
    const forced = await admin('judgement', 'promote', '2', '--force');
    expect(forced.out).toContain(`forced past: ${describeRegression(regressions[0]!)}`);
    expect(forced.out).toContain('coach-judgement @production: v1 -> v2');
    expect(forced.out).toContain('app runs judgement weights from MLflow coach-judgement v2');
    expect(forced.code).toBe(0);
    expect(await running()).toMatchObject({
      source: 'mlflow',
      registryVersion: '2',
      trainedAt: harsh.trainedAt,
    });
    // The candidate sees the served weights' judgement: every threshold out of reach, every score 1.
    expect(allOnes(await scoresOfAnAnswer())).toBe(true);
  }, 180_000);

  it('rollback serves the previous version again', async () => {
    const cli = await admin('judgement', 'rollback');
    expect(cli.out).toContain('coach-judgement @production rolled back: v2 -> v1');
    expect(cli.code).toBe(0);
    expect(await running()).toMatchObject({ source: 'mlflow', registryVersion: '1', warning: null });
    expect(allOnes(await scoresOfAnAnswer())).toBe(false);

    const listed = await listJudgementVersions(server!.url);
    expect(listed.map((v) => [v.registryVersion, v.aliases])).toEqual([
      ['2', []],
      ['1', ['production']],
    ]);
    expect(listed[1]!.testQwk.star).toBeGreaterThan(0);
    const list = await admin('judgement', 'list');
    expect(list.out).toMatch(/^v1 .*@production$/m);
    expect(list.out).toContain('app scores with judgement weights from MLflow coach-judgement v1');
    // The Admin page's API: the same versions and rollback target; a second rollback undoes the first, and
    // a forced promote says which figures it went past.
    const versions = await adminApi('GET', '/api/admin/judgement/versions');
    expect(versions.json).toMatchObject({
      configured: true,
      previous: '2',
      versions: [
        { registryVersion: '2', aliases: [] },
        { registryVersion: '1', aliases: ['production'] },
      ],
    });
    const back = await adminApi('POST', '/api/admin/judgement/rollback');
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ from: '1', to: '2', overridden: [] });
    expect((back.json as { running: CoachVersion }).running.judgement.registryVersion).toBe('2');
    const forced = await adminApi('POST', '/api/admin/judgement/promote', { version: '1', force: true });
    expect(forced.json).toMatchObject({ from: '2', to: '1' });
    expect(await running()).toMatchObject({ source: 'mlflow', registryVersion: '1' });
    expect(await rollbackJudgement(server!.url, options)).toEqual({ from: '1', to: '2' });
    expect(await promoteJudgement(server!.url, 1, { ...options, force: true })).toMatchObject({
      from: '2',
      to: '1',
    });
  }, 120_000);

  it('refuses weights trained on other embeddings; behind the alias anyway, the app keeps or falls back', async () => {
    const version = await register({ ...repoWeights, embedder: 'other-embedder' }, repoWeights);
    await expect(promoteJudgement(server!.url, version, { ...options, force: true })).rejects.toThrow(
      `was trained on other-embedder embeddings, the app embeds with ${JUDGEMENT_EMBEDDER_ID}`,
    );
    // Moved around the CLI: a reload keeps what runs, a start falls back to the repo's weights.
    await new MlflowClient(server!.url).setModelAlias(JUDGEMENT_MODEL, 'production', version);
    const kept = await reload();
    expect(kept).toMatchObject({ source: 'mlflow', registryVersion: '1' });
    expect(kept.warning).toMatch(/other-embedder/);
    const loaded = await loadJudgement({ ...options, trackingUri: server!.url });
    expect(loaded).toMatchObject({ source: 'repo', registryVersion: null, value: repoWeights });
    expect(loaded.warning).toMatch(/other-embedder/);
    await new MlflowClient(server!.url).setModelAlias(JUDGEMENT_MODEL, 'production', '1');
  }, 120_000);
});

describe('the repo weights when the registry cannot serve', () => {
  it('without a tracking URI: the repo file, no warning', async () => {
    const loaded = await loadJudgement(options);
    expect(loaded).toMatchObject({
      source: 'repo',
      registryVersion: null,
      warning: null,
      value: repoWeights,
    });
  });

  it('with an unreachable tracking server: the app starts on the repo file and the admin sees why', async () => {
    await stack?.close();
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    stack = await startStack({ MLFLOW_TRACKING_URI: unreachable });
    const res = await fetch(`${stack.baseUrl}/api/admin/coach`);
    const { judgement } = (await res.json()) as CoachVersion;
    expect(judgement).toMatchObject({
      source: 'repo',
      registryVersion: null,
      trainedAt: repoWeights.trainedAt,
    });
    expect(judgement.warning).toMatch(
      new RegExp(`cannot load the ${JUDGEMENT_MODEL}@production version from MLflow at ${unreachable}`),
    );
  }, 120_000);
});
