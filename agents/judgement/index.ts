// The trained judgement: scores an answer 1–5 on the five dimensions from MiniLM sentence embeddings and
// explicit features, with the weights trained by `npm run train:coach` (agents/judgement/weights.json, the
// repo copy). `npm run eval` loads it through createTrainedJudge().
import { readFileSync } from 'node:fs';
import type { Scores } from '../../core/types.js';
import { judgementEmbedder, type SentenceEmbedder } from './embedder.js';
import { analyseAnswer, answerFeatures, type JudgementInput, type SentenceRoles } from './features.js';
import { scoresOf, sentenceRoles, type JudgementWeights } from './model.js';

export type { JudgementInput } from './features.js';
export type { JudgementWeights } from './model.js';

export const WEIGHTS_FILE = new URL('./weights.json', import.meta.url);

export function parseWeights(json: string): JudgementWeights {
  const w = JSON.parse(json) as JudgementWeights;
  if (w?.format !== 'interview-helper-judgement@1') {
    throw new Error(`not judgement weights (format ${String(w?.format)})`);
  }
  return w;
}

/** The repo copy of the weights. */
export const loadRepoWeights = (): JudgementWeights => parseWeights(readFileSync(WEIGHTS_FILE, 'utf8'));

export interface Judgement {
  scores: Scores;
  /** Each answer sentence's predicted STAR role, agency and specificity. */
  sentences: { text: string; roles: SentenceRoles }[];
}

export interface TrainedJudge {
  name: string;
  weights: JudgementWeights;
  judge(input: JudgementInput): Promise<Judgement>;
  score(input: JudgementInput): Promise<Scores>;
}

export function judgeWith(weights: JudgementWeights, embedder: SentenceEmbedder): TrainedJudge {
  if (weights.embedder !== embedder.id) {
    throw new Error(`the weights were trained on ${weights.embedder} embeddings, not ${embedder.id}`);
  }
  const judge = async (input: JudgementInput): Promise<Judgement> => {
    const analysis = await analyseAnswer(input, embedder);
    const roles = analysis.sentences.map((s) => sentenceRoles(weights.sentence, s.embedding, s.explicit));
    const { features, pooled } = answerFeatures(analysis, roles);
    return {
      scores: scoresOf(weights, features, pooled),
      sentences: analysis.sentences.map((s, i) => ({ text: s.text, roles: roles[i]! })),
    };
  };
  return {
    name: 'trained judge (MiniLM)',
    weights,
    judge,
    score: async (input) => (await judge(input)).scores,
  };
}

/** The trained judge with the repo's weights and the app's MiniLM embedder. */
export function createTrainedJudge(
  options: { weights?: JudgementWeights; embedder?: SentenceEmbedder } = {},
): TrainedJudge {
  return judgeWith(options.weights ?? loadRepoWeights(), options.embedder ?? judgementEmbedder());
}
