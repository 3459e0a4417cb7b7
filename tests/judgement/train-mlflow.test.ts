// `npm run train:coach`'s logging (registerJudgement) to a REAL MLflow tracking server (tests/support/mlflow.ts): params, dev-CV and
// test metrics, weights.json as an artefact, and a registered version of "coach-judgement".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { loadCorpus } from '../../eval/corpus/schema.js';
import { createTrainedJudge, loadRepoWeights, parseWeights } from '../../agents/judgement/index.js';
import { MlflowClient } from '../../agents/registry/mlflow.js';
import { evaluateJudge } from '../../scripts/eval.js';
import { JUDGEMENT_MODEL, registerJudgement } from '../../agents/registry/judgement-registry.js';
import { startMlflow, type MlflowServer } from '../support/mlflow.js';

let server: MlflowServer | undefined;
beforeAll(async () => {
  server = await startMlflow();
}, 240_000);
afterAll(async () => {
  await server?.stop();
});

describe('train:coach logging to MLflow', () => {
  it('logs params and metrics, stores weights.json and registers a model version that points at it', async () => {
    const weights = loadRepoWeights();
    // A few test answers are enough to exercise the logging of test metrics.
    const test = loadCorpus()
      .answers.filter((a) => a.split === 'test')
      .slice(0, 8);
    const result = await evaluateJudge(createTrainedJudge(), test, []);
    const { runId, version } = await registerJudgement(server!.url, weights, result.metrics);

    const client = new MlflowClient(server!.url);
    const run = await client.getRun(runId);
    expect(run.info.status).toBe('FINISHED');
    const params = Object.fromEntries((run.data.params ?? []).map((p) => [p.key, p.value]));
    expect(params.embedder).toBe(weights.embedder);
    expect(params.alpha_star).toBe(String(weights.params.alpha.star));
    const metrics = Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
    for (const d of SCORE_DIMENSIONS) {
      expect(metrics[`dev_cv/qwk_${d}`], d).toBeCloseTo(weights.cv[d].qwk, 6);
      expect(metrics[`test/within_one_${d}`], d).toBeCloseTo(result.metrics[d].withinOne, 6);
    }
    const stored = await client.downloadArtifact(run.info.artifact_uri, 'weights.json');
    expect(parseWeights(stored)).toEqual(weights);

    const registered = await client.getModelVersion(JUDGEMENT_MODEL, version);
    expect(registered.source).toBe(`runs:/${runId}/weights.json`);
    expect(registered.run_id).toBe(runId);
  });
});
