// `npm run train:coach`: fits the judgement model (agents/judgement) on the DEV split of eval/corpus,
// choosing its hyper-parameters by cross-validation grouped by story family within dev; prints the dev-CV
// figures, then the TEST split's figures (reported only: nothing is chosen from them), and writes
// agents/judgement/weights.json. With MLFLOW_TRACKING_URI set it also logs the run to MLflow (params, dev-CV
// and test metrics, weights.json as an artefact) and registers it as a version of the model
// "coach-judgement" (agents/registry/judgement-registry.ts), which the app serves once it is promoted.
// `npm run train:coach -- --dev-only` stops after the dev-CV figures, adds them per kind of minimal pair
// (result removed, I → we, tangents…), and neither writes weights.json nor reads the test split: the mode to
// compare changes of features in, so that no choice is made on test figures. With `--oof FILE` as well it
// writes the dev answers' out-of-fold scores there (JSON lines), for error analysis.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { SCORE_DIMENSIONS } from '../core/types.js';
import { loadCorpus, type Corpus, type CorpusAnswer } from '../eval/corpus/schema.js';
import { judgementEmbedder } from '../agents/judgement/embedder.js';
import { ANSWER_FEATURES } from '../agents/judgement/features.js';
import { judgeWith, WEIGHTS_FILE } from '../agents/judgement/index.js';
import { trainJudgement, type TrainResult } from '../agents/judgement/train.js';
import { applyCuts } from '../agents/judgement/model.js';
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

/**
 * Dev-CV minimal-pair accuracy per dimension and per kind of change (the worse answer's variant): how many
 * pairs the out-of-fold scores order, and how many they tie, which is most of what they miss.
 */
function pairsByChange(
  dev: readonly CorpusAnswer[],
  pairs: Corpus['pairs'],
  { weights, outOfFold }: Pick<TrainResult, 'weights' | 'outOfFold'>,
): string[] {
  const index = new Map(dev.map((a, i) => [a.id, i]));
  const lines: string[] = [];
  for (const d of SCORE_DIMENSIONS) {
    const given = outOfFold[d].map((p) => applyCuts(p, weights.answer.dimensions[d].cuts));
    const byChange = new Map<string, { ordered: number; tied: number; total: number }>();
    for (const p of pairs) {
      const [b, w] = [index.get(p.better), index.get(p.worse)];
      if (p.dimension !== d || b === undefined || w === undefined) continue;
      const change = dev[w]!.variant;
      const counts = byChange.get(change) ?? { ordered: 0, tied: 0, total: 0 };
      counts.total++;
      if (given[b]! > given[w]!) counts.ordered++;
      else if (given[b] === given[w]) counts.tied++;
      byChange.set(change, counts);
    }
    for (const [change, { ordered, tied, total }] of byChange)
      lines.push(
        `${d.padEnd(13)}${change.padEnd(16)}${pct(ordered / total).padStart(5)}  (${ordered}/${total}, ${tied} tied)`,
      );
  }
  return lines;
}

/**
 * One JSON line per dev answer: its id, story, variant, labels and, per dimension, the out-of-fold prediction
 * before cutting (`raw`) and the score it cuts to (`given`), for reading where the model errs.
 */
function outOfFoldLines(
  dev: readonly CorpusAnswer[],
  { weights, outOfFold, outOfFoldFeatures }: Pick<TrainResult, 'weights' | 'outOfFold' | 'outOfFoldFeatures'>,
): string {
  return dev
    .map((a, i) => {
      const raw = Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, outOfFold[d][i]!]));
      const given = Object.fromEntries(
        SCORE_DIMENSIONS.map((d) => [d, applyCuts(outOfFold[d][i]!, weights.answer.dimensions[d].cuts)]),
      );
      const { id, family, role, variant, question, labels } = a;
      const features = Object.fromEntries(ANSWER_FEATURES.map((f, k) => [f, outOfFoldFeatures[i]![k]!]));
      return JSON.stringify({ id, family, role, variant, question, labels, raw, given, features }) + '\n';
    })
    .join('');
}

async function main(): Promise<void> {
  const devOnly = process.argv.includes('--dev-only');
  const oofAt = process.argv.indexOf('--oof');
  const oofFile = oofAt >= 0 ? process.argv[oofAt + 1] : undefined;
  if (oofAt >= 0 && (!devOnly || !oofFile)) throw new Error('--oof FILE goes with --dev-only');
  const corpus = loadCorpus();
  const embedder = judgementEmbedder();
  const started = Date.now();
  const trained = await trainJudgement(corpus, embedder, { log: (l) => console.log(l) });
  const { weights } = trained;
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
  if (devOnly) {
    // The same order trainJudgement reads dev in, which its out-of-fold predictions follow.
    const dev = corpus.answers.filter((a) => a.split === 'dev');
    console.log('\nminimal pairs by change (dev, grouped CV):');
    for (const line of pairsByChange(dev, corpus.pairs, trained)) console.log(`  ${line}`);
    if (oofFile) {
      writeFileSync(oofFile, outOfFoldLines(dev, trained));
      console.log(`\nwrote the dev answers' out-of-fold scores to ${oofFile}`);
    }
    console.log('\n--dev-only: weights.json not written, test split not read');
    return;
  }
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
