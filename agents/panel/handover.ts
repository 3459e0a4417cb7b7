// What a panelist says out loud when they pass the floor: "I'll let Sam ask about the on-call side." The
// wording is picked from a seed (the interview and the turn), so a retried activity says the same line while
// different hand-overs vary.
import { pick } from '../coach-text/variant.js';

/**
 * Competency names as the bank spells them read like labels ("delivery under pressure"); these are said
 * differently. The others ("system design", "ownership") are already plain words.
 */
const SAID_AS: Readonly<Record<string, string>> = {
  APIs: 'API design',
  'cloud and infrastructure': 'the infrastructure side',
  'delivery under pressure': 'delivering under pressure',
  'failure and learning': 'learning from a failure',
  'data-driven decisions': 'deciding from data',
  'leadership and mentoring': 'leading and mentoring',
  'quality and testing': 'testing and quality',
  'trade-offs': 'the trade-offs you made',
  prioritisation: 'how you prioritise',
  'remote work': 'working remotely',
  'work style': 'how you like to work',
};

/** A competency in plain words: "clinical craft" is "the clinical side". */
export function spokenCompetency(competency: string): string {
  const said = SAID_AS[competency];
  if (said) return said;
  const craft = /^(.+) craft$/.exec(competency);
  return craft ? `the ${craft[1]} side` : competency;
}

const LINES: readonly ((name: string, topic: string) => string)[] = [
  (n, t) => `I'll let ${n} ask about ${t}.`,
  (n, t) => `Thanks, that's what I needed. ${n}, over to you for ${t}.`,
  (n, t) => `${n} wanted to hear about ${t}, so I'll hand over.`,
  (n, t) => `Let me pass you to ${n}, who'd like to talk about ${t}.`,
  (n, t) => `Good. ${n}, do you want to pick up ${t}?`,
];

/** The line the previous speaker says to give `name` the floor on `competency`. */
export function handOverLine(
  name: string,
  competency: string,
  ...seed: readonly (string | number)[]
): string {
  return pick(LINES, 'hand-over', ...seed)(name, spokenCompetency(competency));
}
