// Follow-up probes: a real interviewer does not critique a vague answer, they ask once more first.
// How vague is too vague depends on the interviewer persona (agents/persona.ts).
import type { Persona } from '../core/types.js';
import { PERSONA_STYLES } from './persona.js';
import { measure } from './rubric.js';

const PROBES: Record<Persona, { action: string; result: string; detail: string }> = {
  friendly: {
    action: 'That sounds like a good team effort. What was your own part in it?',
    result: 'How did it turn out in the end?',
    detail: 'Could you tell me a little more about it?',
  },
  neutral: {
    action: 'What did you personally do? Walk me through the steps you took yourself.',
    result: 'What was the result, and how did you measure it?',
    detail: 'Can you give me more detail: the situation, what you did, and what changed because of it?',
  },
  tough: {
    action: 'I heard what the team did. What did you personally do, step by step?',
    result: 'What was the measurable result? Give me the numbers.',
    detail:
      'That is too thin. Walk me through the situation, your actions and the measured outcome in detail.',
  },
};

/** The follow-up to ask before coaching this answer, or null when the answer can be coached as it is. */
export function probeFor(answer: string, persona: Persona = 'neutral'): string | null {
  const m = measure(answer, []);
  const when = PERSONA_STYLES[persona].probe;
  const probes = PROBES[persona];
  if (when.action && !m.star.action) return probes.action;
  const measured = m.quantities.length > 0;
  if (when.result && (when.numbers ? !measured : !m.star.result && !measured)) return probes.result;
  if (m.words < when.minWords) return probes.detail;
  return null;
}
