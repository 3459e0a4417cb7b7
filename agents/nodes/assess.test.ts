// The assess node reads the question the way the trained judgement learnt questions: what is asked, without
// the interviewer's wording or the requirement phrase quoted before it. Real MiniLM and the repo's weights;
// dev-split answers only (the test split is read only by `npm run eval`).
import { describe, expect, it } from 'vitest';
import { loadCorpus, type CorpusAnswer } from '../../eval/corpus/schema.js';
import { coachStateOf } from '../../eval/judges.js';
import { PERSONAS } from '../../core/types.js';
import type { CoachContext, NodeConfig } from '../context.js';
import { groundedQuestion } from '../coach-text/question-wording.js';
import { wordQuestion } from '../persona.js';
import { assess } from './assess.js';

const coach: CoachContext = {
  model: { kind: 'offline', name: 'offline-rubric-coach', tokenDelayMs: 0 },
  retrieve: async () => [],
  k: 1,
};

async function scoresAsAsked(item: CorpusAnswer, question: string) {
  const { assessment } = await assess({ ...coachStateOf(item, item.answer), question }, {
    configurable: { coach },
  } as NodeConfig);
  if (!assessment || !('scores' in assessment)) throw new Error(`no assessment for ${item.id}`);
  return assessment.scores;
}

const dev = loadCorpus().answers.filter((a) => a.split === 'dev');
// Answers to another question or for another job, and answers that answer: one of each per role family.
const offTopic = dev.filter((a) => a.variant === 'wrong_question').slice(0, 12);
const onTopic = dev.filter((a) => a.variant === 'base' && a.labels.relevance >= 4).slice(0, 6);

describe('the question the judgement reads', () => {
  it('scores an answer the same however the interviewer words the question or what of the job it quotes', async () => {
    let i = 0;
    for (const item of [...offTopic, ...onTopic]) {
      const persona = PERSONAS[i % PERSONAS.length]!;
      const requirement = item.job.requirements[i % item.job.requirements.length]!;
      const phrase = requirement.replace(/[.]$/, '').split(/\s+/).slice(0, 8).join(' ').toLowerCase();
      const grounded = groundedQuestion(phrase, item.job.title, item.question, 60, item.id);
      expect(grounded, 'the question quotes the job').toContain(`"${phrase}"`);
      const spoken = wordQuestion(persona, grounded, i++ % 2 === 0);
      expect(await scoresAsAsked(item, spoken), `${item.id} asked as: ${spoken}`).toEqual(
        await scoresAsAsked(item, item.question),
      );
    }
  });

  it('does not read an answer with no experience in it as relevant because the question quotes the job', async () => {
    const [sre] = dev.filter((a) => a.role === 'sre' && a.variant === 'base');
    const vague = {
      ...sre!,
      question: 'Tell me about a time you had to address a performance problem on your team.',
      answer:
        'I am really passionate about reliability and I always try my best. I think communication is key and I work well with others. Things generally go well when I am involved.',
    };
    const grounded = groundedQuestion(
      'automate deploys, rollbacks and routine operations',
      sre!.job.title,
      vague.question,
      60,
      'seed',
    );
    expect((await scoresAsAsked(vague, grounded)).relevance).toBeLessThanOrEqual(2);
  });
});
