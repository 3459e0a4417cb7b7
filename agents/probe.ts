// Follow-up probes: a real interviewer does not critique a vague answer, they ask once more first.
import { measure } from './rubric.js';

/** The follow-up to ask before coaching this answer, or null when the answer can be coached as it is. */
export function probeFor(answer: string): string | null {
  const m = measure(answer, []);
  if (!m.star.action) return 'What did you personally do? Walk me through the steps you took yourself.';
  if (!m.star.result && m.quantities.length === 0) return 'What was the result, and how did you measure it?';
  if (m.words < 30)
    return 'Can you give me more detail: the situation, what you did, and what changed because of it?';
  return null;
}
