// `npm run train:coach`: fits the judgement model (agents/judgement) on the DEV split of eval/corpus,
// choosing its hyper-parameters by cross-validation grouped by story family within dev; prints the dev-CV
// figures, then the TEST split's figures (reported only: nothing is chosen from them), and writes
// agents/judgement/weights.json. With MLFLOW_TRACKING_URI set it also logs the run to MLflow (params, dev-CV
// and test metrics, weights.json as an artefact) and registers it as a version of the model
// "coach-judgement" (agents/registry/judgement-registry.ts), which the app serves once it is promoted.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { SCORE_DIMENSIONS } from '../core/types.js';
import { loadCorpus } from '../eval/corpus/schema.js';
import { judgementEmbedder } from '../agents/judgement/embedder.js';
import { judgeWith, WEIGHTS_FILE } from '../agents/judgement/index.js';
import { trainJudgement } from '../agents/judgement/train.js';
import { JUDGEMENT_MODEL, registerJudgement } from '../agents/registry/judgement-registry.js';
import { evaluateJudge } from './eval.js';

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
    const { runId, version } = await registerJudgement(trackingUri, weights, result.metrics);
    console.log(`\nMLflow: run ${runId}; registered ${JUDGEMENT_MODEL} version ${version}`);
    console.log(`serve it with: npm run admin -- judgement promote ${version}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  });
}
