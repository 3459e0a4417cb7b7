// Follow-up probes: a real interviewer does not critique a vague answer, they ask once more first, and they
// ask about what the candidate just said, quoting a few of their words. How vague is too vague depends on
// the interviewer persona (agents/persona.ts). The wording is picked from the answer itself, so a retried
// activity asks exactly the same follow-up.
import type { Persona } from '../core/types.js';
import { PERSONA_STYLES } from './persona.js';
import { measure } from './rubric.js';
import { isChange, parseQuantities } from './judgement/quantities.js';
import { OWN_CLAUSE, TEAM_CLAUSE, quoteFrom } from './coach-text/quote.js';
import { pick } from './coach-text/variant.js';

type ProbeKind = 'action' | 'result' | 'detail';
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
  },
};

/** The words a follow-up of each kind quotes: the team's action, the candidate's own, or the first clause. */
const QUOTED: Record<ProbeKind, (clause: string) => boolean> = {
  action: (c) => TEAM_CLAUSE.test(c),
  result: (c) => OWN_CLAUSE.test(c),
  detail: () => true,
};

function ask(persona: Persona, kind: ProbeKind, answer: string): string {
  const { quoted, plain } = PROBES[persona][kind];
  const quote = quoteFrom(answer, QUOTED[kind]);
  return quote ? pick(quoted, persona, kind, answer)(quote) : plain;
}

/** The follow-up to ask before coaching this answer, or null when the answer can be coached as it is. */
export function probeFor(answer: string, persona: Persona = 'neutral'): string | null {
  const m = measure(answer, []);
  const when = PERSONA_STYLES[persona].probe;
  if (when.action && !m.star.action) return ask(persona, 'action', answer);
  // A change said in words ("one in five to one in fifty", "weekly to daily") is measured too.
  const measured = m.quantities.length > 0 || parseQuantities(answer).some(isChange);
  if (when.result && (when.numbers ? !measured : !m.star.result && !measured))
    return ask(persona, 'result', answer);
  if (m.words < when.minWords) return ask(persona, 'detail', answer);
  return null;
}
