// Whether a sentence tells what happened once or what someone would do, or does as a rule: a feature of the
// sentence heads, and what keeps "I would just talk to them" out of the actions the feedback names.
import nlp from 'compromise';
import type { StarPart } from '../../core/types.js';
import type { Doc } from './quantities.js';

/** Words of what someone would do, or does as a rule, rather than did once ("I would", "I always"). */
const GENERAL_WORDING = '(#Modal|usually|always|often|generally|tend|tends|never|whenever)';
/** Times of a habit: "I go hiking most weekends", "I check it every month". */
const HABITUAL =
  '(most|every) (weekend|weekends|day|days|week|weeks|month|months|morning|mornings|evening|evenings|night|nights|time)';

/** Whether a tagged sentence has words of what someone would do or does as a rule. */
export const generalWording = (doc: Doc): boolean =>
  doc.match(GENERAL_WORDING).found || doc.match(HABITUAL).found;

/**
 * Whether a sentence tells what the speaker would do or does as a rule, with nothing they did: "I would just
 * talk to them" is no action taken, but "I could see it growing, so I wrote a macro" is.
 */
export function speaksInGeneral(sentence: string): boolean {
  const doc = nlp(sentence) as unknown as Doc;
  return generalWording(doc) && !doc.match('#PastTense').found;
}

/** A question about what the candidate would do or does ("How would you…?", "What do you do when…?"). */
const HYPOTHETICAL =
  /\b(?:how|what|when|which|where|why)\s+(?:would|do|does|should|could|will|might)\s+you\b|\bhow you would\b|\bwould you\b/i;
/** …which asks for a time it happened all the same ("How do you test? Give a concrete example."). */
const FOR_A_TIME =
  /\b(?:tell me about|describe|walk me through)\s+(?:a|an|one|the)\s+(?!\w+ (?:you|that) would\b)|\b(?:a|one) time\b|\bwhen have you\b|\bgive (?:me )?(?:a|an|one) (?:\w+ )?example\b|\bhave you ever\b|\bfrom your (?:own )?experience\b/i;

/**
 * Whether `question` asks what the candidate would do or does as a rule rather than for a time it happened:
 * then what they would do is the answer it asks for, and no "what did you do yourself?" is owed.
 */
export const asksInGeneral = (question: string): boolean =>
  HYPOTHETICAL.test(question) && !FOR_A_TIME.test(question);

/**
 * Whether a sentence can tell `part` of a story: an action or a result is something that happened, unless
 * the question asked what the candidate would do.
 */
export const canTell = (part: StarPart, sentence: string, question = ''): boolean =>
  part === 'situation' || part === 'task' || asksInGeneral(question) || !speaksInGeneral(sentence);
