// The trained judgement (agents/judgement) with the real MiniLM embedder: training reads the dev split only
// and is deterministic, and the committed weights judge what they claim to judge.
import { describe, expect, it } from 'vitest';
import { SCORE_DIMENSIONS } from '../../core/types.js';
import { loadCorpus, segmentSentences } from '../../eval/corpus/schema.js';
import { judgementEmbedder, type SentenceEmbedder } from '../../agents/judgement/embedder.js';
import { createTrainedJudge, loadRepoWeights } from '../../agents/judgement/index.js';
import { trainJudgement } from '../../agents/judgement/train.js';

const corpus = loadCorpus();

describe('training', () => {
  it('fits on dev answers only, never embeds a test answer, and gives the same weights twice', async () => {
    // Three role families keep the test fast; train.ts is given their dev AND test answers and must drop test.
    const roles = new Set(['sre', 'nursing', 'retail']);
    const answers = corpus.answers.filter((a) => roles.has(a.role));
    expect(answers.some((a) => a.split === 'test')).toBe(true);
    const seen = new Set<string>();
    const inner = judgementEmbedder();
    const recording: SentenceEmbedder = {
      id: inner.id,
      embed: (texts) => {
        texts.forEach((t) => seen.add(t));
        return inner.embed(texts);
      },
    };
    const options = { folds: 3, alphas: [10, 100], boostRounds: [0, 25], now: () => new Date(0) };
    const first = await trainJudgement({ answers, sentences: corpus.sentences }, recording, options);
    const second = await trainJudgement({ answers, sentences: corpus.sentences }, recording, options);

    const testIds = new Set(answers.filter((a) => a.split === 'test').map((a) => a.id));
    expect([...first.answerIds].filter((id) => testIds.has(id))).toEqual([]);
    expect(first.answerIds.size).toBe(answers.filter((a) => a.split === 'dev').length);
    // No sentence of a test answer was embedded, unless a dev answer says the same sentence.
    const devSentences = new Set(
      answers.filter((a) => a.split === 'dev').flatMap((a) => segmentSentences(a.answer)),
    );
    const testOnly = answers
      .filter((a) => a.split === 'test')
      .flatMap((a) => segmentSentences(a.answer))
      .filter((s) => !devSentences.has(s));
    expect(testOnly.length).toBeGreaterThan(0);
    expect(testOnly.filter((s) => seen.has(s))).toEqual([]);

    expect(second.weights).toEqual(first.weights);
    expect(first.weights.trainedOn.split).toBe('dev');
    for (const d of SCORE_DIMENSIONS) expect(first.weights.answer.dimensions[d].cuts).toHaveLength(4);
  });
});

describe('the committed weights (agents/judgement/weights.json)', () => {
  const judge = createTrainedJudge();
  const job = {
    title: 'Site Reliability Engineer',
    requirements: [
      'Keep production services available and lead the response to incidents.',
      'Automate deployments, infrastructure and routine operations work.',
      'Define service level objectives and build the monitoring that tracks them.',
    ],
  };
  const question = 'Tell me about a time you made a service more dependable.';

  it('loads, was trained on dev only, and names the embedder it needs', () => {
    const w = loadRepoWeights();
    expect(w.format).toBe('interview-helper-judgement@1');
    expect(w.trainedOn.split).toBe('dev');
    expect(w.embedder).toBe(judgementEmbedder().id);
  });

  it('does not call an eight-word non-answer concise (shorter than anything it was trained on)', async () => {
    const thin = await judge.score({ job, question, answer: 'We sort of fixed it eventually, I think.' });
    expect(thin.conciseness).toBeLessThanOrEqual(3);
  });

  it('scores a relevant answer that shares no wording with the job above an off-topic one on relevance', async () => {
    const paraphrase =
      'Our checkout app kept falling over at night and nobody knew until customers complained. ' +
      'I set up alerts on its error rate and wrote a runbook for whoever was on call. ' +
      'I also scripted our release steps so nobody pushed changes by hand any more. ' +
      'Outages went from four a month to one, and we now spot them within minutes.';
    const offTopic =
      'I organised the office summer party last year. I booked a venue by the river, chose the catering ' +
      'and sent the invitations. About sixty people came and everyone said they loved the food.';
    const relevant = await judge.score({ job, question, answer: paraphrase });
    const off = await judge.score({ job, question, answer: offTopic });
    expect(relevant.relevance).toBeGreaterThan(off.relevance);
  });

  it('scores a vague answer below a specific one on STAR and impact', async () => {
    const specific =
      'Our deploys failed about one in five times because each one was a manual checklist. ' +
      'I was asked to fix that before the holiday freeze. ' +
      'I wrote a pipeline that built, tested and rolled out each service behind a canary, and I rolled it out to one team first. ' +
      'Failed deploys fell from one in five to one in fifty, and we went from weekly to daily releases.';
    const vague =
      'We had some issues with deployments. The team worked on it and things got better over time. ' +
      'It was a good learning experience overall.';
    const good = await judge.score({ job, question, answer: specific });
    const weak = await judge.score({ job, question, answer: vague });
    expect(weak.star).toBeLessThan(good.star);
    expect(weak.impact).toBeLessThan(good.impact);
  });
});
