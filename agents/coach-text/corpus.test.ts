// The stronger answer and the role families measured on the labelled corpus (eval/corpus, synthetic, see
// its README). The bar: on the test split, the rewrite scores at least as well as the original on
// every dimension it claims to fix, by today's scorer (the graph's assess node, offline: now the trained
// judgement). The test split is only read here to report; nothing in coach-text was tuned on it.
import { describe, expect, it } from 'vitest';
import { loadCorpus, type CorpusAnswer } from '../../eval/corpus/schema.js';
import { coachStateOf } from '../../eval/judges.js';
import { assess as assessNode } from '../nodes/assess.js';
import type { CoachContext, NodeConfig } from '../context.js';
import type { Assessment } from '../rubric.js';
import { SCORE_DIMENSIONS, type ScoreDimension } from '../../core/types.js';
import { strongerAnswer } from './stronger-answer.js';
import { findFillers, wordCount } from './text.js';
import { familyByKeywords, inferRoleFamily } from './role-family.js';
import { LocalMiniLmEmbedder } from '../../ingestion/embed.js';

const corpus = loadCorpus();
const coach: CoachContext = {
  model: { kind: 'offline', name: 'offline-rubric-coach', tokenDelayMs: 0 },
  retrieve: async () => [],
  k: 1,
};

/** Today's scorer on an answer to a corpus item, exactly as the eval harness runs it (eval/judges.ts). */
async function score(item: CorpusAnswer, answer: string): Promise<Assessment> {
  const { assessment } = await assessNode(coachStateOf(item, answer), {
    configurable: { coach },
  } as NodeConfig);
  if (!assessment || !('scores' in assessment)) throw new Error(`no assessment for ${item.id}`);
  return assessment;
}

async function measure(split: 'dev' | 'test') {
  const items = corpus.answers.filter((a) => a.split === split);
  const claims = Object.fromEntries(
    SCORE_DIMENSIONS.map((d) => [d, { claimed: 0, held: 0, gained: 0 }]),
  ) as Record<ScoreDimension, { claimed: number; held: number; gained: number }>;
  const failures: string[] = [];
  const meanDelta = Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, 0])) as Record<ScoreDimension, number>;
  let wordsBefore = 0;
  let wordsAfter = 0;
  let fillersLeft = 0;
  let lowerWithPrompts = 0;
  for (const item of items) {
    const before = await score(item, item.answer);
    const rewrite = strongerAnswer(item.answer, before, { question: item.question });
    // Scored as the candidate would say it: their sentences, without the bracketed prompts to fill in.
    const after = await score(item, rewrite.spoken);
    const withPrompts = await score(item, rewrite.text);
    for (const d of rewrite.fixes) if (withPrompts.scores[d] < before.scores[d]) lowerWithPrompts++;
    wordsBefore += wordCount(item.answer);
    wordsAfter += wordCount(rewrite.text);
    fillersLeft += findFillers(rewrite.text).length;
    for (const d of SCORE_DIMENSIONS) meanDelta[d] += (after.scores[d] - before.scores[d]) / items.length;
    for (const d of rewrite.fixes) {
      claims[d].claimed++;
      if (after.scores[d] >= before.scores[d]) claims[d].held++;
      else failures.push(`${item.id} ${d} ${before.scores[d]}→${after.scores[d]}`);
      if (after.scores[d] > before.scores[d]) claims[d].gained++;
    }
  }
  return {
    items: items.length,
    claims,
    failures,
    meanDelta,
    wordsBefore,
    wordsAfter,
    fillersLeft,
    lowerWithPrompts,
  };
}

describe('the stronger answer on the labelled corpus', () => {
  it("scores at least as well as the original on every dimension it claims to fix (test split, today's scorer)", async () => {
    const test = await measure('test');
    const dev = await measure('dev');
    const round = (n: number) => Math.round(n * 100) / 100;
    // The figures the report quotes.
    console.log(
      JSON.stringify(
        Object.fromEntries(
          (
            [
              ['test', test],
              ['dev', dev],
            ] as const
          ).map(([name, m]) => [
            name,
            {
              answers: m.items,
              claims: m.claims,
              meanScoreChange: Object.fromEntries(SCORE_DIMENSIONS.map((d) => [d, round(m.meanDelta[d])])),
              meanWords: [round(m.wordsBefore / m.items), round(m.wordsAfter / m.items)],
              fillersLeft: m.fillersLeft,
              claimsLowerWhenScoredWithPrompts: m.lowerWithPrompts,
              failures: m.failures,
            },
          ]),
        ),
        null,
        1,
      ),
    );
    expect(test.items).toBeGreaterThan(100);
    // Today's scorer is the trained judgement (agents/judgement). The rewrite orders the story by that
    // judgement's own reading of each sentence (Assessment.sentenceParts). With the rubric's cue words it
    // moved a scene the cues missed ("Our Kubernetes bill had doubled…") after the actions, and the judge
    // marked three test stories a STAR point down (eleven on dev, where the change was made and measured).
    expect(test.failures).toEqual([]);
    expect(test.fillersLeft).toBe(0);
    // It claims something on a good share of answers, so the bar is not met by claiming nothing.
    expect(SCORE_DIMENSIONS.reduce((n, d) => n + test.claims[d].claimed, 0)).toBeGreaterThan(test.items / 4);
  }, 300_000);
});

describe('role families of the corpus jobs', () => {
  // The corpus names customer support in full; the bank says "support".
  const expected = (role: string) => (role === 'customer_support' ? 'support' : role);
  const jobs = [...new Map(corpus.answers.map((a) => [a.job.title, a])).values()];

  it('keywords and MiniLM both name the family the corpus gives each job', async () => {
    const embedder = new LocalMiniLmEmbedder('data/models');
    let byKeywords = 0;
    let byEmbedding = 0;
    const misses: string[] = [];
    for (const a of jobs) {
      const description = a.job.requirements.join('\n');
      if (familyByKeywords(a.job.title, description) === expected(a.role)) byKeywords++;
      const family = await inferRoleFamily({ title: a.job.title, description }, embedder);
      if (family === expected(a.role)) byEmbedding++;
      else misses.push(`${a.job.title}: ${family} (corpus: ${a.role})`);
    }
    console.log(JSON.stringify({ jobs: jobs.length, byKeywords, byEmbedding, misses }));
    expect(jobs.length).toBeGreaterThanOrEqual(12);
    expect(byEmbedding / jobs.length).toBeGreaterThanOrEqual(0.9);
    expect(byKeywords / jobs.length).toBeGreaterThanOrEqual(0.8);
  }, 120_000);
});
