// When a panelist cuts into an answer: a tough panelist who may interrupt stops a rambling answer (long, and
// no result stated yet) once, within their time budget, and their cut-in becomes their follow-up question.
// Decided from the words said so far (partial transcripts of a spoken answer, the whole of a typed one) and
// the interview's speaking-time clock, never from wall time: the same answer always gets the same decision,
// so the session workflow can replay it (the activity's answer is recorded; a replay reads it, it does not
// ask again). Whether a result was said is the trained judgement's reading, as the coach's feedback reads
// it (agents/judgement/parts.ts); the keyword rubric only stands in when the embedding model is not set up,
// as it does for the coach. The candidate's barge-in (talking over the panel's voice) is the
// browser's and always wins; nothing here can stop the candidate from speaking.
import { measure } from '../rubric.js';
import type { TrainedJudge } from '../judgement/index.js';
import { readSentences, starPartOf } from '../judgement/parts.js';
import { wordCount } from '../coach-text/text.js';
import { pick } from '../coach-text/variant.js';
import { secondsUsed, type PanelTurn } from './director.js';
import { ANSWER_WPM, QUESTION_WPM, seconds } from './interview.js';
import type { Panelist } from './template.js';

/** Words after which an answer with no result yet counts as rambling: about 50 s said aloud. */
export const RAMBLE_WORDS = 120;

const CUT_INS: readonly string[] = [
  'Let me stop you there — what was the outcome?',
  'Sorry to cut in — what was the result, in one sentence?',
  "I'll stop you there: what changed because of what you did?",
  'Let me jump in — how did it end, and how did you measure it?',
];

/** Whether a panelist may ever cut in: only a tough one whose template allows it. */
export const mayInterrupt = (p: Panelist): boolean => p.persona === 'tough' && p.mayInterrupt;

/** Whether the answer so far says what came of it (the STAR result: an outcome, a number, a change). */
export type ResultCheck = (answer: string) => Promise<boolean>;

/**
 * The trained judgement's check: a sentence of the answer plays the result, read as the coach reads STAR
 * parts. It hears results said without the rubric's cue words ("nobody got woken up at night after that").
 */
export const trainedResultCheck =
  (judge: TrainedJudge, question: string): ResultCheck =>
  async (answer) => {
    const judged = await readSentences(judge, question, answer);
    return judged.sentences.some(({ roles }) => starPartOf(roles) === 'result');
  };

/** Without the embedding model: the keyword rubric's result cue (agents/rubric.ts), as the coach falls back. */
export const rubricResultCheck: ResultCheck = (answer) =>
  Promise.resolve(measure(answer, []).star.result !== null);

/** The trained check when the judge can run (`judge`: agents/judgement judgeFor), else the rubric's. */
export const resultCheckOf = (judge: TrainedJudge | null, question: string): ResultCheck =>
  judge ? trainedResultCheck(judge, question) : rubricResultCheck;

export interface InterruptionInput {
  /** Who asked the question being answered. */
  panelist: Panelist;
  /** Whether that question is itself a follow-up (an earlier cut-in included): those are never cut. */
  followUp: boolean;
  /** The interview's finished turns (agents/panel/interview.ts), to know the panelist's time used. */
  turns: readonly PanelTurn[];
  /** The question being answered, hand-over included: the panelist's time in this turn so far. */
  question: string;
  /** The answer so far. */
  answer: string;
  /** Varies the wording: the session and the turn. */
  seed: readonly (string | number)[];
  /** Whether the answer so far states its result; asked only of a long answer a panelist may cut. */
  statesResult: ResultCheck;
}

/** The cut-in line, or null: the answer goes on (or stands as it is). */
export async function interruption(input: InterruptionInput): Promise<string | null> {
  const { panelist, answer } = input;
  if (!mayInterrupt(panelist) || input.followUp) return null;
  // The cheap tests first: the model reads only a long answer that a panelist may cut.
  if (wordCount(answer) < RAMBLE_WORDS || (await input.statesResult(answer))) return null;
  const line = pick(CUT_INS, 'cut-in', ...input.seed);
  // The cut-in is the panelist's time: it must fit in what is left of their budget, this turn included.
  const used =
    secondsUsed(panelist, input.turns) +
    seconds(wordCount(input.question), QUESTION_WPM) +
    seconds(wordCount(answer), ANSWER_WPM);
  return used + seconds(wordCount(line), QUESTION_WPM) <= panelist.timeBudgetSec ? line : null;
}
