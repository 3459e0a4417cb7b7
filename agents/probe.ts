// Follow-up probes: a real interviewer does not critique a vague answer, they ask once more first, and they
// ask about what the candidate just said, quoting a few of their words. How vague is too vague depends on
// the interviewer persona (agents/persona.ts). The wording is picked from the answer itself, so a retried
// activity asks exactly the same follow-up.
import type { Persona } from '../core/types.js';
import { PERSONA_STYLES } from './persona.js';
import { measure, type RubricMetrics, type StarPart } from './rubric.js';
import { splitSentences } from '../core/text/index.js';
import { isChange, parseQuantities } from './judgement/quantities.js';
import { readSentences, starPartOf } from './judgement/parts.js';
import { asksInGeneral, canTell, speaksInGeneral } from './judgement/wording.js';
import type { Judgement, TrainedJudge } from './judgement/index.js';
import { judgedMetrics, whatIsAsked } from './nodes/assess.js';
import { OWN_CLAUSE, TEAM_CLAUSE, quoteFrom } from './coach-text/quote.js';
import { pick } from './coach-text/variant.js';
import { wordCount } from './coach-text/text.js';

type ProbeKind = 'action' | 'result' | 'detail' | 'example';
type Ways = readonly ((quote: string) => string)[];

/** Each persona's ways to ask each kind of follow-up around a quote, and one for when nothing is quotable. */
const PROBES: Record<Persona, Record<ProbeKind, { quoted: Ways; plain: string }>> = {
  friendly: {
    action: {
      quoted: [
        (q) => `You said "${q}". That sounds like a good team effort: what was your own part in it?`,
        (q) => `Going back to "${q}": what was your own part in that?`,
      ],
      plain: 'That sounds like a good team effort. What was your own part in it?',
    },
    result: {
      quoted: [
        (q) => `You mentioned "${q}". How did it turn out in the end?`,
        (q) => `After "${q}", how did things turn out?`,
      ],
      plain: 'How did it turn out in the end?',
    },
    detail: {
      quoted: [
        (q) => `Could you tell me a little more about "${q}"?`,
        (q) => `"${q}" sounds interesting. Could you tell me a little more?`,
      ],
      plain: 'Could you tell me a little more about it?',
    },
    example: {
      quoted: [
        (q) => `You mentioned "${q}". Have you had a chance to do that yourself? Tell me about it.`,
        (q) => `"${q}" sounds like a good plan. Is there a time you did something like it?`,
      ],
      plain: 'Have you had a chance to do that yourself? Tell me about it.',
    },
  },
  neutral: {
    action: {
      quoted: [
        (q) => `You said "${q}". What did you personally do? Walk me through your own steps.`,
        (q) => `When you say "${q}", which part was yours? What did you personally do?`,
      ],
      plain: 'What did you personally do? Walk me through the steps you took yourself.',
    },
    result: {
      quoted: [
        (q) => `You said "${q}". What was the result, and how did you measure it?`,
        (q) => `After "${q}", what was the result, and how do you know?`,
      ],
      plain: 'What was the result, and how did you measure it?',
    },
    detail: {
      quoted: [
        (q) =>
          `You mentioned "${q}". Can you give me more detail: the situation, what you did, and what changed?`,
        (q) =>
          `Let's stay with "${q}". Can you give me more detail: what you did, and what changed because of it?`,
      ],
      plain: 'Can you give me more detail: the situation, what you did, and what changed because of it?',
    },
    example: {
      quoted: [
        (q) => `You said "${q}". Can you give me an example of a time you did that, and how it went?`,
        (q) => `Let's stay with "${q}". When have you done that, and what happened?`,
      ],
      plain: 'Can you give me an example of a time you did that, and how it went?',
    },
  },
  tough: {
    action: {
      quoted: [
        (q) => `"${q}" is what the team did. What did you personally do, step by step?`,
        (q) => `You said "${q}". I need your part: what did you personally do, step by step?`,
      ],
      plain: 'I heard what the team did. What did you personally do, step by step?',
    },
    result: {
      quoted: [
        (q) => `You said "${q}". What was the measurable result? Give me the numbers.`,
        (q) => `"${q}": and what changed? Give me the numbers.`,
      ],
      plain: 'What was the measurable result? Give me the numbers.',
    },
    detail: {
      quoted: [
        (q) => `"${q}" is too thin. Walk me through the situation, your actions and the measured outcome.`,
        (q) =>
          `That is too thin. Beyond "${q}", what was the situation, what did you do, and what changed, in numbers?`,
      ],
      plain:
        'That is too thin. Walk me through the situation, your actions and the measured outcome in detail.',
    },
    example: {
      quoted: [
        (q) => `"${q}" is the theory. When did you actually do it, and what were the numbers?`,
        (q) => `You said "${q}". Give me a time you did exactly that, with the outcome.`,
      ],
      plain: 'That is the theory. When did you actually do it, and what were the numbers?',
    },
  },
};

/** The words a follow-up of each kind quotes: the team's action, the candidate's own, or the first clause. */
const QUOTED: Record<ProbeKind, (clause: string) => boolean> = {
  action: (c) => TEAM_CLAUSE.test(c),
  result: (c) => OWN_CLAUSE.test(c),
  detail: () => true,
  example: () => true,
};

function ask(persona: Persona, kind: ProbeKind, answer: string): string {
  const { quoted, plain } = PROBES[persona][kind];
  const quote = quoteFrom(answer, QUOTED[kind]);
  return quote ? pick(quoted, persona, kind, answer)(quote) : plain;
}

/**
 * What an answer tells, as far as a follow-up cares: the candidate's own action, a result, and a measure;
 * and whether the question asked what they would do (then no action taken nor result is owed).
 */
export interface Told {
  ownAction: boolean;
  result: boolean;
  measured: boolean;
  inGeneral: boolean;
}

/** The keyword rubric's reading (agents/rubric.ts), for when the trained judgement cannot run. */
export const toldByRubric = (answer: string, question = ''): Told =>
  toldByMetrics(measure(answer, []), answer, question);

function toldByMetrics(m: RubricMetrics, answer: string, question: string): Told {
  return {
    inGeneral: asksInGeneral(question),
    ownAction: m.star.action !== null,
    result: m.star.result !== null,
    // A change said in words ("one in five to one in fifty", "weekly to daily") is measured too.
    measured: m.quantities.length > 0 || parseQuantities(answer).some(isChange),
  };
}

/**
 * What the answer tells as the trained judgement reads it (the reading the feedback is written from,
 * judgedMetrics) or as the rubric's cue words do: a follow-up asks only for what neither found. The judgement
 * hears a result said without cue words ("The next quarter our freight forecast was within three percent",
 * which the rubric missed, so the candidate was asked "What was the result?"); the cue words hear "I
 * interviewed 20 riders", which the judgement's agency head reads as no one's.
 */
export function toldByJudgement(judged: Judgement, answer: string, question = ''): Told {
  const measured = measure(answer, []);
  const rubric = toldByMetrics(measured, answer, question);
  const m = judgedMetrics(measured, judged, answer, question);
  return {
    inGeneral: rubric.inGeneral,
    ownAction:
      rubric.ownAction ||
      judged.sentences.some(
        ({ roles, text }) =>
          starPartOf(roles) === 'action' && canTell('action', text, question) && OWN_CLAUSE.test(text),
      ),
    result: rubric.result || m.star.result !== null,
    measured: rubric.measured || m.quantities.length > 0,
  };
}

/**
 * The judgement's reading when it can run (`judge`: agents/judgement judgeFor), else the rubric's, of the
 * question as the feedback reads it (whatIsAsked).
 */
export async function toldIn(judge: TrainedJudge | null, asked: string, answer: string): Promise<Told> {
  const question = whatIsAsked(asked);
  return judge
    ? toldByJudgement(await readSentences(judge, question, answer), answer, question)
    : toldByRubric(answer, question);
}

/** The follow-up to ask before coaching this answer, or null when the answer can be coached as it is. */
export function probeFor(
  answer: string,
  persona: Persona = 'neutral',
  told: Told = toldByRubric(answer),
): string | null {
  const when = PERSONA_STYLES[persona].probe;
  // Asked what they would do, a thin answer is asked for a time they did it; a full one is coached.
  if (told.inGeneral) return wordCount(answer) < when.minWords ? ask(persona, 'example', answer) : null;
  // No action of their own: "which part was yours?" after what the team did; after what they would do or do
  // as a rule ("First I'd look at the logs"), a time they did it.
  const sentences = splitSentences(answer);
  if (when.action && !told.ownAction)
    return ask(
      persona,
      sentences.some(speaksInGeneral) && !sentences.some((s) => TEAM_CLAUSE.test(s)) ? 'example' : 'action',
      answer,
    );
  if (when.result && (when.numbers ? !told.measured : !told.result && !told.measured))
    return ask(persona, 'result', answer);
  if (wordCount(answer) < when.minWords) return ask(persona, 'detail', answer);
  return null;
}

/** An answer's sentences, each with the STAR part it plays (null: none). */
type ReadSentences = readonly { text: string; part: StarPart | null }[];

/**
 * The answer with the follow-up's answer told in its place, so the judgement, the critique and the stronger
 * answer all read one story in order: before the result the story reached after its last action, or at the
 * end when it reached none (a follow-up asking for the result is answered by one). Appended after the
 * result, "I built the model myself." made the judgement read the result as no part of the story, and score
 * STAR 3 an answer it scores 5 alone.
 */
export function withReplyInPlace(story: ReadSentences, reply: string): string {
  const lastAction = story.map((s) => s.part).lastIndexOf('action');
  const result = story.findIndex((s, i) => i > lastAction && s.part === 'result');
  const at = result < 0 ? story.length : result;
  return [...story.slice(0, at).map((s) => s.text), reply.trim(), ...story.slice(at).map((s) => s.text)].join(
    ' ',
  );
}

/** withReplyInPlace with the story read by the trained judgement when it can run, else by the rubric. */
export async function storyWithReply(
  judge: TrainedJudge | null,
  question: string,
  answer: string,
  reply: string,
): Promise<string> {
  if (!judge) {
    const { star } = measure(answer, []);
    const partOf = (text: string) =>
      text === star.result ? 'result' : text === star.action ? 'action' : null;
    return withReplyInPlace(
      splitSentences(answer).map((text) => ({ text, part: partOf(text) })),
      reply,
    );
  }
  const judged = await readSentences(judge, question, answer);
  return withReplyInPlace(
    judged.sentences.map(({ text, roles }) => ({ text, part: starPartOf(roles) })),
    reply,
  );
}
