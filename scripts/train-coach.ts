// `npm run train:coach`: fits the judgement model (agents/judgement) on the DEV split of eval/corpus,
// choosing its hyper-parameters by cross-validation grouped by story family within dev; prints the dev-CV
// figures, then the TEST split's figures (reported only: nothing is chosen from them), and writes
// agents/judgement/weights.json. With MLFLOW_TRACKING_URI set it also logs the run to MLflow (params, dev-CV
// and test metrics, weights.json as an artefact) and registers it as a version of the model
// "coach-judgement".
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { SCORE_DIMENSIONS } from '../core/types.js';
import { loadCorpus } from '../eval/corpus/schema.js';
import { judgementEmbedder } from '../agents/judgement/embedder.js';
import { judgeWith, WEIGHTS_FILE } from '../agents/judgement/index.js';
import { trainJudgement } from '../agents/judgement/train.js';
import type { JudgementWeights } from '../agents/judgement/model.js';
import { MlflowClient } from '../agents/registry/mlflow.js';
import { evaluateJudge, type JudgeResult } from './eval.js';

export const JUDGEMENT_MODEL = 'coach-judgement';
export const JUDGEMENT_EXPERIMENT = 'interview-helper-judgement';

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : 'n/a');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

function table(rows: [string, (d: (typeof SCORE_DIMENSIONS)[number]) => string][]): string {
  const head = ''.padEnd(24) + SCORE_DIMENSIONS.map((d) => d.padStart(13)).join('');
  return [
    head,
    ...rows.map(
      ([name, cell]) => name.padEnd(24) + SCORE_DIMENSIONS.map((d) => cell(d).padStart(13)).join(''),
    ),
  ].join('\n');
}

export async function logTraining(
  trackingUri: string,
  weights: JudgementWeights,
  test: JudgeResult,
): Promise<{ runId: string; version: string }> {
  const client = new MlflowClient(trackingUri);
  const experimentId = await client.getOrCreateExperiment(JUDGEMENT_EXPERIMENT);
  const run = await client.createRun(experimentId, {
    runName: `train ${weights.trainedAt.slice(0, 19)}`,
    tags: { 'mlflow.source.name': 'scripts/train-coach.ts' },
  });
  try {
    const metrics: Record<string, number> = {};
    for (const d of SCORE_DIMENSIONS) {
      const add = (k: string, v: number) => Number.isFinite(v) && (metrics[k] = v);
      add(`dev_cv/qwk_${d}`, weights.cv[d].qwk);
      add(`dev_cv/within_one_${d}`, weights.cv[d].withinOne);
      add(`dev_cv/pair_accuracy_${d}`, weights.cv[d].pairAccuracy);
      add(`test/qwk_${d}`, test.metrics[d].qwk);
      add(`test/within_one_${d}`, test.metrics[d].withinOne);
      add(`test/exact_${d}`, test.metrics[d].exact);
      add(`test/pair_accuracy_${d}`, test.metrics[d].pairAccuracy);
    }
    await client.logBatch(run.run_id, {
      params: {
        embedder: weights.embedder,
        sentence_alpha: JSON.stringify(weights.params.sentenceAlpha),
        pair_weight: String(weights.params.pairWeight),
        boost_rounds: JSON.stringify(weights.params.boostRounds),
        pooled_scale: String(weights.params.pooledScale),
        ...Object.fromEntries(SCORE_DIMENSIONS.map((d) => [`alpha_${d}`, String(weights.params.alpha[d])])),
        dev_answers: String(weights.trainedOn.answers),
        dev_sentences: String(weights.trainedOn.sentences),
      },
      metrics,
    });
    await client.uploadArtifact(
      run.artifact_uri,
      'weights.json',
      JSON.stringify(weights),
      'application/json',
    );
    await client.endRun(run.run_id, 'FINISHED');
  } catch (err) {
    await client.endRun(run.run_id, 'FAILED').catch(() => {});
    throw err;
  }
  await client.ensureRegisteredModel(
    JUDGEMENT_MODEL,
    "The coach's trained judgement (agents/judgement): weights.json of a train:coach run.",
  );
  const version = await client.createModelVersion(JUDGEMENT_MODEL, {
    source: `runs:/${run.run_id}/weights.json`,
    runId: run.run_id,
    description: `trained ${weights.trainedAt}`,
    tags: Object.fromEntries(SCORE_DIMENSIONS.map((d) => [`test_qwk_${d}`, num(test.metrics[d].qwk)])),
  });
  return { runId: run.run_id, version: version.version };
}

async function main(): Promise<void> {
  const corpus = loadCorpus();
  const embedder = judgementEmbedder();
  const started = Date.now();
  const { weights } = await trainJudgement(corpus, embedder, { log: (l) => console.log(l) });
  console.log(
    `trained in ${((Date.now() - started) / 1000).toFixed(1)} s on ${weights.trainedOn.answers} dev answers`,
  );
  console.log(
    `chosen by grouped CV on dev: sentence alphas ${JSON.stringify(weights.params.sentenceAlpha)}, pooled scale ` +
      `${weights.params.pooledScale}, alpha ${SCORE_DIMENSIONS.map((d) => `${d} ${weights.params.alpha[d]}`).join(', ')}`,
  );
  console.log(
    '\nDEV split, grouped cross-validation (6 folds by story family; thresholds fit on these folds):',
  );
  console.log(
    table([
      ['kappa', (d) => num(weights.cv[d].qwk)],
      ['exact', (d) => pct(weights.cv[d].exact)],
      ['within one', (d) => pct(weights.cv[d].withinOne)],
      ['minimal pairs (dev)', (d) => pct(weights.cv[d].pairAccuracy)],
    ]),
  );
  // Written as prettier formats it, so `npm run lint` passes on the generated file.
  const file = fileURLToPath(WEIGHTS_FILE);
  const style = await resolveConfig(file);
  writeFileSync(file, await format(JSON.stringify(weights), { ...style, filepath: file }));
  console.log(`\nwrote ${path.relative(process.cwd(), fileURLToPath(WEIGHTS_FILE))}`);

  // Reported only: the test split is scored after the model is fixed, and nothing above reads it.
  const test = corpus.answers.filter((a) => a.split === 'test');
  const testIds = new Set(test.map((a) => a.id));
  const pairs = corpus.pairs.filter((p) => testIds.has(p.better) && testIds.has(p.worse));
  const result = await evaluateJudge(judgeWith(weights, embedder), test, pairs);
  console.log(`\nTEST split (${test.length} answers, ${pairs.length} pairs; reported only):`);
  console.log(
    table([
      ['kappa', (d) => num(result.metrics[d].qwk)],
      ['exact', (d) => pct(result.metrics[d].exact)],
      ['within one', (d) => pct(result.metrics[d].withinOne)],
      ['minimal pairs', (d) => pct(result.metrics[d].pairAccuracy)],
    ]),
  );

  const trackingUri = process.env.MLFLOW_TRACKING_URI;
  if (trackingUri) {
    const { runId, version } = await logTraining(trackingUri, weights, result);
    console.log(`\nMLflow: run ${runId}; registered ${JUDGEMENT_MODEL} version ${version}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
