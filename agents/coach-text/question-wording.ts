// How the offline coach says a question out loud: one short quoted requirement phrase of the job at most,
// a bank question in one of a few natural wordings, and never more than MAX_QUESTION_WORDS words. The
// wording is picked from a seed (the session's job and round), so a retried activity asks the same thing.
import { pick } from './variant.js';
import { wordCount } from './text.js';

/** The longest question a person would say in one breath, persona framing included (intro aside). */
export const MAX_QUESTION_WORDS = 40;

const REQUIREMENT_QUESTIONS: readonly ((phrase: string) => string)[] = [
  (p) => `The job asks for "${p}". Tell me about a time you did that: what you did, and what changed.`,
  (p) => `This role needs "${p}". When have you done that yourself, and how did it turn out?`,
  (p) => `The posting mentions "${p}". Can you give me an example from your own work, and what came of it?`,
];

/** A question that asks the candidate to prove one requirement phrase of the job. */
export function requirementQuestion(phrase: string, ...seed: readonly (string | number)[]): string {
  return pick(REQUIREMENT_QUESTIONS, 'requirement', ...seed)(phrase);
}

const LEADS: readonly ((phrase: string, role: string) => string | null)[] = [
  (p) => `This role calls for "${p}".`,
  // A long or empty title would crowd the question out; the other leads do without it.
  (p, role) => (role && wordCount(role) <= 4 ? `The ${role} job mentions "${p}".` : null),
  (p) => `The posting asks for "${p}".`,
];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Every lead as a pattern, written from LEADS themselves, so a lead added there is undone here too. */
const LEAD_PATTERNS = LEADS.map((lead) => {
  const said = lead('\u0000', '\u0001');
  if (!said) throw new Error('a lead must word a short role');
  return new RegExp(`^${escape(said).replace('\u0000', '[^"]*').replace('\u0001', '.+?')}\\s+`);
});

/**
 * The question without the requirement phrase groundedQuestion() put before it: what is asked. The trained
 * judgement learnt from bare questions, and a quote from the job before an answer to another question made
 * it read that answer as relevant (on dev, off-topic answers' relevance 2.9 → 4.3).
 */
export function withoutLead(question: string): string {
  for (const pattern of LEAD_PATTERNS) {
    const rest = question.replace(pattern, '');
    if (rest !== question && rest.trim()) return rest;
  }
  return question;
}

/** The fewest words any lead puts around its phrase ("This role calls for"). */
export const SHORTEST_LEAD_WORDS = 4;

/**
 * A bank question grounded in one requirement phrase of the job, within `budget` words: the seeded lead
 * when it fits, else another that does (the role-naming lead is longer than the others), so a phrase
 * short enough for the shortest lead is always quoted. The question alone when no lead leaves it room.
 */
export function groundedQuestion(
  phrase: string,
  role: string,
  question: string,
  budget: number,
  ...seed: readonly (string | number)[]
): string {
  const first = pick(LEADS, 'lead', ...seed);
  for (const lead of [first, ...LEADS.filter((l) => l !== first)]) {
    const said = lead(phrase, role);
    if (said && wordCount(`${said} ${question}`) <= budget) return `${said} ${question}`;
  }
  return question;
}

/** The opening of a bank question, said one of a few ways ("Tell me about…", "Can you tell me about…?"). */
const OPENINGS: readonly { match: RegExp; ways: readonly ((rest: string) => string)[] }[] = [
  {
    match: /^Tell me about ([^.?]+)\.(?=\s|$)/,
    ways: [
      (r) => `Tell me about ${r}.`,
      (r) => `Can you tell me about ${r}?`,
      (r) => `Walk me through ${r}.`,
    ],
  },
  {
    match: /^Describe ([^.?]+)\.(?=\s|$)/,
    ways: [(r) => `Describe ${r}.`, (r) => `Can you describe ${r}?`, (r) => `Walk me through ${r}.`],
  },
];

/**
 * A bank question's wordings, the one its seed picks first, then the others (shortest first): a question
 * without a known opening has only its own.
 */
export function questionWordings(text: string, ...seed: readonly (string | number)[]): string[] {
  for (const { match, ways } of OPENINGS) {
    const m = match.exec(text);
    if (!m) continue;
    const rest = text.slice(m[0].length);
    const first = pick(ways, 'opening', ...seed);
    const others = ways.filter((w) => w !== first).map((w) => w(m[1]!) + rest);
    return [first(m[1]!) + rest, ...others.sort((x, y) => wordCount(x) - wordCount(y))];
  }
  return [text];
}
