// The interviewer persona a candidate practises with: how questions are worded, and how readily a vague
// answer gets a follow-up probe before it is coached. Scores never depend on it: the rubric is the same.
import type { Persona } from '../core/types.js';

export interface PersonaStyle {
  /** Said once, before the session's first question ('' for none). */
  intro: string;
  /** Put before every question (after the intro on the first). */
  lead: string;
  /** Put after every question. */
  close: string;
  /** How the model should sound when it words the question (the offline coach uses the texts above). */
  tone: string;
  /**
   * When a follow-up probe is asked (agents/probe.ts): `action` probes an answer with no personal action,
   * `result` one with no result (or, when `numbers`, no measured one), `minWords` a shorter one.
   */
  probe: { action: boolean; result: boolean; numbers: boolean; minWords: number };
}

export const PERSONA_STYLES: Record<Persona, PersonaStyle> = {
  friendly: {
    intro:
      'Hi, thanks for making the time. There are no trick questions here, so take a moment whenever you need one.',
    lead: "I'd love to hear about this: ",
    close: ' Take your time.',
    tone: 'You are a warm, encouraging interviewer: welcome the candidate and word the question gently.',
    // Lets an answer through unless it says nothing of what the candidate did.
    probe: { action: true, result: false, numbers: false, minWords: 0 },
  },
  neutral: {
    // The plain interviewer: the question as composed, nothing around it.
    intro: '',
    lead: '',
    close: '',
    tone: 'You are a neutral, professional interviewer: word the question plainly.',
    probe: { action: true, result: true, numbers: false, minWords: 30 },
  },
  tough: {
    intro: "Let's get straight to it. I will push for specifics.",
    lead: '',
    close: ' Be specific: what did you do yourself, and what changed, in numbers?',
    tone: 'You are a demanding, terse interviewer: no pleasantries, ask for specifics and numbers.',
    // Wants a measured result and a fuller story before moving on.
    probe: { action: true, result: true, numbers: true, minWords: 60 },
  },
};

/** How many words the persona puts around every question (the one-time intro aside). */
export function framingWords(persona: Persona): number {
  const { lead, close } = PERSONA_STYLES[persona];
  return `${lead} ${close}`.split(/\s+/).filter(Boolean).length;
}

/** The question as the persona asks it; `first` adds the persona's introduction. */
export function wordQuestion(persona: Persona, question: string, first: boolean): string {
  const style = PERSONA_STYLES[persona];
  // "Tell me…" continues the lead in lower case; "I…", "AWS…" keep theirs.
  const rest = /^[A-Z][a-z]/.test(question)
    ? `${question.charAt(0).toLowerCase()}${question.slice(1)}`
    : question;
  const lead = style.lead ? `${style.lead}${rest}` : question;
  return `${first && style.intro ? `${style.intro} ` : ''}${lead}${style.close}`;
}

/**
 * The question under any persona's wording (wordQuestion undone): its introduction, lead and close left
 * off, and the first letter the lead lowered raised again. Text no persona wrote is left as it is.
 */
export function withoutFraming(question: string): string {
  let text = question.trim();
  for (const { intro, lead, close } of Object.values(PERSONA_STYLES)) {
    if (intro && text.startsWith(`${intro} `)) text = text.slice(intro.length + 1);
    if (close.trim() && text.endsWith(close)) text = text.slice(0, -close.length);
    if (lead && text.startsWith(lead)) {
      const rest = text.slice(lead.length);
      text = `${rest.charAt(0).toUpperCase()}${rest.slice(1)}`;
    }
  }
  return text.trim();
}
