// The assess node reads the question the way the trained judgement learnt questions: what is asked, without
// the interviewer's wording or the requirement phrase quoted before it. Real MiniLM and the repo's weights;
// dev-split answers only (the test split is read only by `npm run eval`).
import { describe, expect, it } from 'vitest';
import { loadCorpus, type CorpusAnswer } from '../../eval/corpus/schema.js';
import { coachStateOf } from '../../eval/judges.js';
import { PERSONAS } from '../../core/types.js';
import type { CoachContext, NodeConfig } from '../context.js';
import type { ScoredChunk } from '../../ingestion/store.js';
import { groundedQuestion } from '../coach-text/question-wording.js';
import { wordQuestion } from '../persona.js';
import { requirementSentences } from '../coach-text/requirements.js';
import { strongerAnswer } from '../coach-text/stronger-answer.js';
import { segmentSentences } from '../judgement/features.js';
import { assess } from './assess.js';

const coach: CoachContext = {
  model: { kind: 'offline', name: 'offline-rubric-coach', tokenDelayMs: 0 },
  retrieve: async () => [],
  k: 1,
};

async function scoresAsAsked(item: CorpusAnswer, question: string, passages?: ScoredChunk[]) {
  const state = coachStateOf(item, item.answer);
  const { assessment } = await assess({ ...state, question, passages: passages ?? state.passages }, {
    configurable: { coach },
  } as NodeConfig);
  if (!assessment || !('scores' in assessment)) throw new Error(`no assessment for ${item.id}`);
  return assessment.scores;
}

/** The assess node's assessment of `answer` to the corpus item's question, for its job. */
async function assessed(item: CorpusAnswer, answer: string) {
  const { assessment } = await assess(coachStateOf(item, answer), { configurable: { coach } } as NodeConfig);
  if (!assessment || !('scores' in assessment)) throw new Error(`no assessment for ${item.id}`);
  return assessment;
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

/** A corpus job laid out as postings arrive: a heading, the employer's blurb, the list, the small print. */
const posting = (job: CorpusAnswer['job']) =>
  `# ${job.title}\n\n**About us** We are a growing organisation with offices in three cities. We value ` +
  `curiosity, kindness and doing things properly.\n\n**What you'll do**\n` +
  job.requirements.map((r) => `- ${r}`).join('\n') +
  `\n\n**Benefits** 25 days of holiday, a pension and flexible working. We are an equal opportunity ` +
  `employer. To apply, email your CV to jobs@example.com by 31 January.`;

describe('the job the judgement reads', () => {
  it("is the posting's requirements under the role's title, as the corpus gives a job, not its every sentence", async () => {
    const families = new Map(dev.map((a) => [a.role, a]));
    expect(families.size).toBe(12);
    for (const item of [...families.values(), ...offTopic.slice(0, 6)]) {
      const passage: ScoredChunk = {
        documentId: 'jd',
        chunkId: `${item.id}-posting`,
        kind: 'jd',
        text: posting(item.job),
        score: 1,
        section: '',
      };
      expect(requirementSentences([passage], item.job.title), item.job.title).toEqual(item.job.requirements);
      expect(await scoresAsAsked(item, item.question, [passage]), item.id).toEqual(
        await scoresAsAsked(item, item.question),
      );
    }
  });
});

describe('what the feedback names of the role', () => {
  it("names the job's own words as it says them, never words only the question said", async () => {
    const [sre] = dev.filter((a) => a.role === 'sre' && a.variant === 'base');
    const item = {
      ...sre!,
      job: {
        title: 'Site Reliability Engineer',
        requirements: [
          'Run production services and their deployments.',
          'Lead incident reviews and postmortems.',
        ],
      },
      question:
        'Tell me about a time you led something without having the title, such as a club, a shift or a small project.',
      answer:
        'I once organised the office party. I booked a venue, ordered food for sixty people and ran a quiz. Everyone said it was the best party in years.',
    };
    const state = coachStateOf(item, item.answer);
    const { assessment } = await assess({ ...state, question: item.question }, {
      configurable: { coach },
    } as NodeConfig);
    if (!assessment || !('scores' in assessment)) throw new Error('no assessment');
    // Words the job says, as it says them (not the rubric's stems, "servic").
    const job = item.job.title
      .toLowerCase()
      .split(/\W+/)
      .concat(...item.job.requirements.map((r) => r.toLowerCase().split(/\W+/)));
    const named = [...assessment.metrics.keywordsHit, ...assessment.metrics.keywordsMissed];
    expect(named.length).toBeGreaterThan(0);
    for (const k of named) expect(job, k).toContain(k);
    const feedback = [...assessment.strengths, ...assessment.gaps].join(' ');
    expect(feedback).not.toMatch(/\b(?:club|shift|project)\b/);
  });
});

describe('the stronger answer, ordered by the reading the scores came from', () => {
  it('keeps a story told in order as it was told, where the keyword cues read the scene as something else', async () => {
    // Two dev stories that open on the scene, act, and end on the result. The rubric's cue words read their
    // openings as no part (sre-5: "Our Kubernetes bill had doubled…") or an action as a result, and the
    // rewrite moved the scene to the end; the trained judge then scored the rewrite's STAR lower.
    for (const id of ['sre-5', 'des-6']) {
      const item = dev.find((a) => a.id === id)!;
      const { assessment } = await assess(coachStateOf(item, item.answer), {
        configurable: { coach },
      } as NodeConfig);
      if (!assessment || !('scores' in assessment)) throw new Error(`no assessment for ${id}`);
      const rewrite = strongerAnswer(item.answer, assessment, { question: item.question });
      const told = segmentSentences(item.answer);
      const said = segmentSentences(rewrite.spoken);
      expect(said[0], id).toBe(told[0]);
      expect(said.at(-1), id).toBe(told.at(-1));
      expect(rewrite.fixes, id).not.toContain('star');
    }
  });
});

describe('the conciseness reason', () => {
  it('names the sentences off the story that cost the score, not only the length', async () => {
    const item = dev.find((a) => a.role === 'nursing' && a.variant === 'base')!;
    const answer =
      'So there was this time with a student nurse, um, she was struggling with her drug rounds, like she was really slow and kind of anxious. Parking at the hospital is a nightmare by the way, I used to circle for twenty minutes. Anyway I sat down with her and we made a plan, I showed her how I organise the trolley and we did the rounds together for a week, then she did them with me watching. By the end of her placement she was doing the round in about forty minutes instead of an hour and a half, and she passed her assessment. I also like to go running after shifts, it helps me switch off.';
    const assessment = await assessed(item, answer);
    expect(assessment.scores.conciseness).toBeLessThanOrEqual(3);
    expect(assessment.reasons.conciseness).not.toMatch(/a good length/);
    expect(assessment.reasons.conciseness).toMatch(/off the story \("Parking at the hospital/);
    expect(assessment.gaps.join(' ')).toMatch(/Drop what is off the story: .*running/);
  });
});

describe('the STAR parts the feedback names', () => {
  it('names no action or result in what the candidate would do or always does', async () => {
    const item = dev.find((a) => a.role === 'customer_support' && a.variant === 'base')!;
    // A user trial's answer and its reply to the follow-up probe: the feedback praised "Clear personal action:
    // 'I would just talk to them and make sure they are happy.'" beside a STAR of 2.
    const answer =
      'I think communication is really key in support. I always try to be a team player and, you know, keep the customer at the centre of everything. Customer satisfaction is very important to me and I believe in owning the problem. I would just talk to them and make sure they are happy.';
    const assessment = await assessed(item, answer);
    expect(assessment.scores.star).toBeLessThan(5);
    expect(assessment.strengths.join(' ')).not.toMatch(/personal action/);
    expect(assessment.gaps).toContain('No clear action');
    expect(assessment.metrics.star.result).toBeNull();
  });

  it('names no action in a habit or a passion ("I go hiking most weekends")', async () => {
    const item = dev.find((a) => a.role === 'retail' && a.variant === 'base') ?? dev[0]!;
    // A user trial's feedback read: Clear personal action: "I love the outdoors, I go hiking most weekends…".
    const answer =
      "I love the outdoors, I go hiking most weekends in the Peak District and I've done the Three Peaks twice. I think that passion really comes across to customers. I'm also really organised and I'm good with people, so I think I'd be a great fit for running the store.";
    const assessment = await assessed(item, answer);
    expect(assessment.strengths.join(' ')).not.toMatch(/personal action/);
    expect(assessment.metrics.star.action).toBeNull();
  });

  it('still names an action told with a modal beside what was done', async () => {
    const item = dev.find((a) => a.role === 'customer_support' && a.variant === 'base')!;
    const answer =
      'Last winter our chat queue got really bad and people waited forty minutes for a first reply. I could see most tickets were about tracking, so I wrote a macro that pulled the tracking status straight in. Within three weeks first replies were under five minutes again.';
    const assessment = await assessed(item, answer);
    expect(assessment.metrics.star.action).toMatch(/I wrote a macro/);
  });

  it('names the numbers of the result with what they count, and no order or year as one', async () => {
    const item = dev.find((a) => a.role === 'hr' && a.variant === 'base') ?? dev[0]!;
    // A user trial: the strengths read "Concrete numbers: one in eight, first" and "Concrete numbers: six".
    const answer =
      'At the warehouse we were losing about a third of new pickers in their first three months. I sat in on exit interviews for a month and heard that people were put straight on night shift with nobody to ask. In 2021 I worked with two shift managers to set up a buddy scheme and a day-shift first fortnight. By the end of the year first-quarter leavers were down to about one in eight, and the close of each month took six days.';
    const { strengths, metrics } = await assessed(item, answer);
    const named = strengths.find((s) => s.startsWith('Concrete numbers'));
    expect(named).toMatch(/one in eight/);
    expect(metrics.quantities.join(', ')).not.toMatch(/\bfirst\b|2021/);
    expect(metrics.quantities).toContain('six days');
  });
});

describe('a question about what the candidate would do', () => {
  // A technical question asks for a plan: "I'd look at…" is the answer it asks for, not a missing action.
  const item = dev.find((a) => a.role === 'engineering' && a.variant === 'base')!;
  const question =
    'A page that used to load in one second now takes eight. Walk me through how you would find out why.';
  const plan =
    "First I'd look at the slow query log and pg_stat_statements to find which queries cost the most. Then I'd run EXPLAIN ANALYZE on the top ones. Usually it's a missing index or a query pulling too many rows. I'd fix the worst one, measure again, and only then think about caching or read replicas.";

  it('names the plan as the action and asks for a time it was done, not for a scene or a task', async () => {
    const state = coachStateOf(item, plan);
    const { assessment } = await assess({ ...state, question }, { configurable: { coach } } as NodeConfig);
    if (!assessment || !('scores' in assessment)) throw new Error('no assessment');
    const a = assessment;
    expect(a.metrics.inGeneral).toBe(true);
    expect(a.metrics.star.action).toMatch(/I'd/);
    expect(a.gaps.join(' ')).not.toMatch(/No clear (situation|task|action)/);
    if (a.scores.star < 5)
      expect(a.gaps).toContain(
        'Back it with a time you did it: where it was, what you did, and what changed',
      );
    // Its stronger answer keeps the steps in the order told and asks for the time it happened.
    const { text } = strongerAnswer(plan, a, { question });
    expect(text.indexOf('First I')).toBeLessThan(text.indexOf('Then I'));
    expect(text.indexOf('Then I')).toBeLessThan(text.indexOf("I'd fix"));
    expect(text).not.toMatch(/\[where was this|\[what were you asked|\[what did you do yourself/);
  });
});
