// The trained judgement's weights in the MLflow model registry: the registered model "coach-judgement", one
// model version per `npm run train:coach` run, whose source is that run's artefact weights.json
// (`runs:/<run>/weights.json`) and whose run holds the TEST split's figures (`test/qwk_<dimension>`, ...).
// The app serves the version behind the alias `production` (aliased-model.ts, as for coach versions); without
// MLFLOW_TRACKING_URI, or when the registry cannot serve valid weights for the app's embedder, it serves the
// repo's agents/judgement/weights.json. Promoting refuses a version whose test figures are worse than
// production's on any dimension (judgement-gate.ts) unless forced; rolling back is never gated, since it is
// the way out of a bad promote.
import type { ScoreDimension } from '../../core/types.js';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { loadRepoWeights, parseWeights, type JudgementWeights } from '../judgement/index.js';
import {
  listVersions,
  loadServed,
  moveAlias,
  rollbackAlias,
  type AliasedModel,
  type AliasMove,
  type Served,
} from './aliased-model.js';
import { describeRegression, regressions, testMetricKey, type Regression } from './judgement-gate.js';
import { MlflowClient, type MlflowModelVersion } from './mlflow.js';

export const JUDGEMENT_MODEL = 'coach-judgement';
export const JUDGEMENT_EXPERIMENT = 'interview-helper-judgement';
export const WEIGHTS_ARTIFACT = 'weights.json';

export type ServedJudgement = Served<JudgementWeights>;

/** The run and artefact path a version's weights are read from: its `runs:/<run>/<path>` source. */
function artefactOf(v: MlflowModelVersion): { runId: string; path: string } {
  const match = /^runs:\/([^/]+)\/(.+)$/.exec(v.source ?? '');
  const runId = match?.[1] ?? v.run_id;
  if (!runId) throw new Error(`${JUDGEMENT_MODEL} version ${v.version} names no run to read weights from`);
  return { runId, path: match?.[2] ?? WEIGHTS_ARTIFACT };
}

/**
 * The registered model as the app serves it. Weights trained on other sentence embeddings than the app's
 * would score nonsense without failing, so a version is refused unless its embedder is the app's.
 */
export function judgementModel(embedderId: string): AliasedModel<JudgementWeights> {
  return {
    name: JUDGEMENT_MODEL,
    fallback: { name: 'agents/judgement/weights.json', value: loadRepoWeights },
    async read(client, v) {
      const { runId, path } = artefactOf(v);
      const run = await client.getRun(runId);
      let weights: JudgementWeights;
      try {
        weights = parseWeights(await client.downloadArtifact(run.info.artifact_uri, path));
      } catch (err) {
        throw new Error(`${JUDGEMENT_MODEL} version ${v.version}: ${(err as Error).message}`, { cause: err });
      }
      if (weights.embedder !== embedderId) {
        throw new Error(
          `${JUDGEMENT_MODEL} version ${v.version} was trained on ${weights.embedder} embeddings, the app embeds with ${embedderId}`,
        );
      }
      return weights;
    },
  };
}

/** The weights to serve (never throws; see loadServed). */
export function loadJudgement(options: {
  embedderId: string;
  trackingUri?: string;
  timeoutMs?: number;
  warn?: (message: string) => void;
}): Promise<ServedJudgement> {
  return loadServed(judgementModel(options.embedderId), options);
}

type TestFigures = Record<
  ScoreDimension,
  { qwk: number; withinOne: number; exact: number; pairAccuracy: number }
>;

/**
 * Logs a training run (its params, dev-CV and test figures, weights.json as an artefact) to the experiment
 * "interview-helper-judgement" and registers it as a new version of "coach-judgement"; returns both ids.
 * Figures that are not finite (no pairs on a dimension) are not logged.
 */
export async function registerJudgement(
  trackingUri: string,
  weights: JudgementWeights,
  test: TestFigures,
): Promise<{ runId: string; version: string }> {
  const client = new MlflowClient(trackingUri);
  const experimentId = await client.getOrCreateExperiment(JUDGEMENT_EXPERIMENT);
  const run = await client.createRun(experimentId, {
    runName: `train ${weights.trainedAt.slice(0, 19)}`,
    tags: { 'mlflow.source.name': 'scripts/train-coach.ts' },
  });
  try {
    const metrics: Record<string, number> = {};
    const add = (k: string, v: number) => Number.isFinite(v) && (metrics[k] = v);
    for (const d of SCORE_DIMENSIONS) {
      add(`dev_cv/qwk_${d}`, weights.cv[d].qwk);
      add(`dev_cv/within_one_${d}`, weights.cv[d].withinOne);
      add(`dev_cv/pair_accuracy_${d}`, weights.cv[d].pairAccuracy);
      add(testMetricKey('qwk', d), test[d].qwk);
      add(testMetricKey('within_one', d), test[d].withinOne);
      add(testMetricKey('exact', d), test[d].exact);
      add(testMetricKey('pair_accuracy', d), test[d].pairAccuracy);
    }
    await client.logBatch(run.run_id, {
      params: {
        embedder: weights.embedder,
        sentence_alpha: JSON.stringify(weights.params.sentenceAlpha),
        pair_weight: String(weights.params.pairWeight),
        within_one_weight: String(weights.params.withinOneWeight),
        cut_pair_weight: String(weights.params.cutPairWeight ?? 0),
        pair_rows: JSON.stringify(weights.params.pairRows),
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
      WEIGHTS_ARTIFACT,
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
    "The coach's trained judgement (agents/judgement): weights.json of a train:coach run. The app serves @production.",
  );
  const num = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const version = await client.createModelVersion(JUDGEMENT_MODEL, {
    source: `runs:/${run.run_id}/${WEIGHTS_ARTIFACT}`,
    runId: run.run_id,
    description: `trained ${weights.trainedAt}`,
    tags: Object.fromEntries(SCORE_DIMENSIONS.map((d) => [`test_qwk_${d}`, num(test[d].qwk)])),
  });
  return { runId: run.run_id, version: version.version };
}

/** The metrics a version's run logged, by key. */
async function figuresOf(client: MlflowClient, v: MlflowModelVersion): Promise<Record<string, number>> {
  const run = await client.getRun(artefactOf(v).runId);
  return Object.fromEntries((run.data.metrics ?? []).map((m) => [m.key, m.value]));
}

/** A promote the gate refused: the version's test figures are worse than production's. */
export class PromotionRefused extends Error {
  constructor(
    readonly version: string,
    readonly production: string,
    readonly regressions: Regression[],
  ) {
    super(
      `${JUDGEMENT_MODEL} version ${version} is worse than production (version ${production}) on the test split: ` +
        `${regressions.map(describeRegression).join('; ')}`,
    );
    this.name = 'PromotionRefused';
  }
}

export type JudgementMove = AliasMove & {
  /** The figures a forced promote went past (empty when the version was no worse). */
  overridden: Regression[];
};

/**
 * Points `production` at version n when its test figures are no worse than production's on any dimension
 * (throws PromotionRefused otherwise), or regardless with `force`; the weights must be valid for the app's
 * embedder either way.
 */
export async function promoteJudgement(
  trackingUri: string,
  version: string | number,
  options: { embedderId: string; force?: boolean },
): Promise<JudgementMove> {
  const client = new MlflowClient(trackingUri);
  let overridden: Regression[] = [];
  const move = await moveAlias(
    client,
    judgementModel(options.embedderId),
    String(version),
    async (candidate, current) => {
      if (!current || current.version === candidate.version) return;
      const found = regressions(await figuresOf(client, candidate), await figuresOf(client, current));
      if (found.length && !options.force)
        throw new PromotionRefused(candidate.version, current.version, found);
      overridden = found;
    },
  );
  return { ...move, overridden };
}

/** Points `production` back at the version it left (not gated: it is the way out of a bad promote). */
export function rollbackJudgement(trackingUri: string, options: { embedderId: string }): Promise<AliasMove> {
  return rollbackAlias(new MlflowClient(trackingUri), judgementModel(options.embedderId));
}

export interface JudgementRegistryEntry {
  registryVersion: string;
  aliases: string[];
  created: string | null;
  description: string | null;
  /** The test split's quadratic weighted kappa per dimension, as its run logged it (missing: not logged). */
  testQwk: Partial<Record<ScoreDimension, number>>;
}

/** Every registered judgement version, newest first, with its aliases and test kappas. */
export async function listJudgementVersions(trackingUri: string): Promise<JudgementRegistryEntry[]> {
  const client = new MlflowClient(trackingUri);
  const listed = await listVersions(client, JUDGEMENT_MODEL);
  return Promise.all(
    listed.map(async ({ version: v, aliases, created }) => {
      const figures = await figuresOf(client, v).catch(() => ({}) as Record<string, number>);
      const testQwk: Partial<Record<ScoreDimension, number>> = {};
      for (const d of SCORE_DIMENSIONS) {
        const q = figures[testMetricKey('qwk', d)];
        if (q !== undefined) testQwk[d] = q;
      }
      return { registryVersion: v.version, aliases, created, description: v.description ?? null, testQwk };
    }),
  );
}
