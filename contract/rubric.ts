// The rubric reviewers score against: for each dimension, what is rated and what each level 1–5 looks like,
// word for word from docs/labelling-guide.md (tests/contract/rubric.test.ts keeps the two the same). Plain data
// without zod, like ./words.ts, so the browser bundle carries it to the reviewer's page.
import type { SCORE_DIMENSIONS } from './words.js';

export interface RubricDimension {
  label: string;
  /** What is rated, from the guide. */
  rated: string;
  /** The behavioural anchor of each level, from 5 (best) down to 1. */
  levels: Record<1 | 2 | 3 | 4 | 5, string>;
}

export const RUBRIC: Record<(typeof SCORE_DIMENSIONS)[number], RubricDimension> = {
  star: {
    label: 'STAR',
    rated:
      'whether a listener can follow one concrete story from its setting to its outcome, and whether the action is the candidate\'s own. Cues such as "the situation was" or "my task was" are neither needed nor rewarded; a situation said as "we were shipping every Friday and it broke every other time" counts fully.',
    levels: {
      5: 'One specific episode; the setting and what was at stake are clear; the candidate\'s own actions are described step by step ("I wrote", "I called"); an outcome closes it.',
      4: "All four parts are there, but one is thin (the task is implied, or the result is general, or the actions are partly the team's).",
      3: 'A story with a clear gap: no result, or the action is only the team\'s ("we fixed it"), or it jumps between two episodes; still one recognisable situation.',
      2: 'Mostly general claims ("I always…", "usually we…") with a fragment of an episode; or a situation and an opinion, with no account of what was done.',
      1: 'No story: a definition, a list of traits or keywords, a refusal, or something that is not about the candidate.',
    },
  },
  clarity: {
    label: 'Clarity',
    rated:
      'how easily a listener follows it on one hearing: order, one idea per sentence, plain words, few restarts and fillers, pronouns that point to something. Not length (a long answer can be clear), not quality of the result.',
    levels: {
      5: 'Told in order; each sentence adds one thing; no fillers beyond one or two; the listener never has to guess who "they" or "it" is.',
      4: 'Easy to follow with small lapses: a few fillers ("so", "basically"), one backtrack, one unclear "it".',
      3: 'Followable with effort: out of order, several fillers ("um", "like", "you know") in most sentences, or jargon without explanation.',
      2: 'Hard to follow: frequent restarts, fillers in nearly every sentence, long run-on sentences, or a string of buzzwords whose meaning is unclear.',
      1: 'The listener cannot say afterwards what happened.',
    },
  },
  impact: {
    label: 'Impact',
    rated:
      'whether the answer shows that what the candidate did changed something, and how concretely. Numbers count in any form: "halved", "one in fifty", "from two hours to twelve minutes", "three weeks early", "the nurse manager made it the unit\'s standard". Qualitative outcomes that can be checked (a policy adopted, a customer renewed, a complaint withdrawn) count as concrete.',
    levels: {
      5: "A measured or checkable outcome with a before and after, attributable to the candidate's action, and its significance for the team, user or business.",
      4: 'A measured or checkable outcome, but no baseline or no significance; or two concrete outcomes without numbers.',
      3: 'An outcome said in general terms ("it went much better", "the customer was happy") or an outcome of uncertain connection to the action.',
      2: 'Only an intention or an activity ("I set up a pipeline"), or an outcome that is all the team\'s with no part for the candidate.',
      1: "No outcome at all, or an outcome that is not the candidate's story.",
    },
  },
  conciseness: {
    label: 'Conciseness',
    rated:
      'whether every sentence earns its place. Judged against a spoken answer of about 60\u2013120 s (roughly 150\u2013300 words). A long answer that stays on the story is not penalised for length alone; tangents (content not about this story: the commute, a different project, opinions on the industry), repetition, and filler are.',
    levels: {
      5: 'Nothing to cut: every sentence moves the story; no repetition; fits 60\u2013120 s spoken or less while still complete.',
      4: 'One sentence could go (a mild aside, one repeated point), or slightly long but on the story.',
      3: 'Two or three sentences off the story or repeated, or heavy fillers; or so short (under ~40 words) that the brevity leaves the listener without the story.',
      2: 'A quarter or more is tangent, repetition or filler; or well over two minutes with padding.',
      1: 'Mostly tangent or padding; the story is hard to find in it.',
    },
  },
  relevance: {
    label: 'Relevance',
    rated:
      'whether the answer addresses this question with experience that matters for this job. It is about meaning, not shared words: "I cut the time patients waited for pain relief" is relevant to a nursing job asking about patient safety without using the word "safety"; a list of the job\'s keywords with no experience behind them is not relevant.',
    levels: {
      5: "Answers the question asked, with an experience that shows one or more of the job's requirements in action.",
      4: "Answers the question with an experience from a related setting; the link to the job's requirements is there but the listener has to make it.",
      3: 'Answers the question, but with an experience from a different kind of work whose link to this job is weak (transferable at most); or half the answer is on the point.',
      2: "Mostly about something else: a different question, or a story from another domain with no link to the job's requirements; or the job's keywords with no story.",
      1: 'Off topic entirely, or a refusal, or text aimed at the grader.',
    },
  },
};
