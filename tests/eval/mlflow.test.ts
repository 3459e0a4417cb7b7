// `npm run eval` logging to a REAL MLflow tracking server (tests/support/mlflow.ts: the `mlflow` CLI from the
// project's venv, a SQLite backend and proxied artifacts in a temp dir, bound to 127.0.0.1 on a free port).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_VERSION } from '../../agents/prompts/index.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { EXPERIMENT_NAME, runEval, type EvalReport } from '../../scripts/eval.js';
import { MlflowClient, type MlflowRun } from '../../agents/registry/mlflow.js';
import { startMlflow, type MlflowServer } from '../support/mlflow.js';
import { tempDir } from '../support/processes.js';

/** Straight REST calls, so the assertions do not rest on the client under test. */
async function rest<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  expect(res.status, `${init?.method ?? 'GET'} ${url}`).toBe(200);
  return (await res.json()) as T;
}

let server: MlflowServer | undefined;
let report: EvalReport;

beforeAll(async () => {
  server = await startMlflow();
  report = await runEval({ trackingUri: server.url, env: {}, outDir: tempDir('eval') });
}, 240_000);

afterAll(async () => {
  await server?.stop();
});

describe('eval logging to MLflow', () => {
  it('creates the experiment and a finished run with the provider, model, prompt version and count', async () => {
    const { experiment } = await rest<{ experiment: { experiment_id: string } }>(
      `${server!.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${EXPERIMENT_NAME}`,
    );
    expect(report.mlflow?.experimentId).toBe(experiment.experiment_id);
    const { run } = await rest<{ run: MlflowRun }>(
      `${server!.url}/api/2.0/mlflow/runs/get?run_id=${report.mlflow!.runId}`,
    );
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.experiment_id).toBe(experiment.experiment_id);
    const params = Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params).toMatchObject({
      provider: 'offline',
      model: 'offline-rubric-coach',
      prompt_version: PROMPT_VERSION,
      answers: String(report.answers.length),
      split: 'test',
      scorer: 'deterministic-rubric',
    });
    expect(report.answers.length).toBeGreaterThanOrEqual(100);
    const tags = Object.fromEntries((run.data.tags ?? []).map((t) => [t.key, t.value]));
    expect(tags['dataset_sha256']).toBe(report.datasetSha256);
    expect(tags['mlflow.source.name']).toBe('scripts/eval.ts');
  });

  it('logs kappa, agreement and pair accuracy per judge and dimension, equal to what the eval printed', async () => {
    const { run } = await rest<{ run: MlflowRun }>(
      `${server!.url}/api/2.0/mlflow/runs/get?run_id=${report.mlflow!.runId}`,
    );
    const metrics = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
    const rubric = report.results.find((r) => r.slug === 'rubric_today')!;
    for (const d of SCORE_DIMENSIONS) {
      expect(metrics[`rubric_today/qwk_${d}`]).toBeCloseTo(rubric.metrics[d].qwk, 10);
      expect(metrics[`rubric_today/exact_${d}`]).toBeCloseTo(rubric.metrics[d].exact, 10);
      expect(metrics[`rubric_today/within_one_${d}`]).toBeCloseTo(rubric.metrics[d].withinOne, 10);
      expect(metrics[`rubric_today/pair_accuracy_${d}`]).toBeCloseTo(rubric.metrics[d].pairAccuracy, 10);
      expect(metrics[`length_only_fit_on_dev/qwk_${d}`]).toBeCloseTo(
        report.results.find((r) => r.slug === 'length_only_fit_on_dev')!.metrics[d].qwk,
        10,
      );
    }
  });

  it('uploads the per-answer table as eval.csv through the artifact proxy', async () => {
    const { files } = await rest<{ files?: { path: string; file_size?: number }[] }>(
      `${server!.url}/api/2.0/mlflow/artifacts/list?run_id=${report.mlflow!.runId}`,
    );
    expect(files?.map((f) => f.path)).toContain('eval.csv');
    const { experimentId, runId } = report.mlflow!;
    const res = await fetch(
      `${server!.url}/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${runId}/artifacts/eval.csv`,
    );
    expect(res.status).toBe(200);
    const csv = await res.text();
    expect(csv).toBe(readFileSync(report.csvPath, 'utf8'));
    const lines = csv.trim().split('\n');
    expect(lines[0]).toMatch(/^id,family,role,variant,words,/);
    expect(lines.length - 1).toBe(report.answers.length);
  });

  it('reuses the experiment on the next run', async () => {
    const second = await runEval({ trackingUri: server!.url, env: {}, outDir: tempDir('eval') });
    expect(second.mlflow!.experimentId).toBe(report.mlflow!.experimentId);
    expect(second.mlflow!.runId).not.toBe(report.mlflow!.runId);
    const { runs } = await rest<{ runs?: MlflowRun[] }>(`${server!.url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [report.mlflow!.experimentId] }),
    });
    expect(runs?.length).toBe(2);
  });
});

describe('the MLflow client', () => {
  it('builds proxied artifact URLs and refuses a store the server does not proxy', () => {
    const client = new MlflowClient('http://127.0.0.1:5000/');
    expect(client.artifactUrl('mlflow-artifacts:/1/abc/artifacts', 'eval.csv')).toBe(
      'http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/eval.csv',
    );
    expect(client.artifactUrl('mlflow-artifacts://host:5000/1/abc/artifacts/', 'a b.csv')).toBe(
      'http://127.0.0.1:5000/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/a%20b.csv',
    );
    expect(() => client.artifactUrl('file:///tmp/mlruns/1/abc/artifacts', 'eval.csv')).toThrow(
      /--serve-artifacts/,
    );
  });
});
