import type { CoachStateType, CoachStateUpdate } from '../state.js';
import {
  assess as measureAnswer,
  explain,
  INSTRUCTED_CLARITY,
  jobKeywords,
  STAR_PARTS,
  type Assessment,
  type RubricMetrics,
} from '../rubric.js';
import { withoutInstructions } from '../guard.js';
import { termWords } from '../../core/text/index.js';
import { withoutFraming } from '../persona.js';
import { withoutLead } from '../coach-text/question-wording.js';
import { requirementSentences } from '../coach-text/requirements.js';
import { stripMarkdown } from '../coach-text/markdown.js';
import { strongerAnswer } from '../coach-text/stronger-answer.js';
import { argmax, segmentSentences } from '../judgement/features.js';
import { canTell } from '../judgement/wording.js';
import { judgeFor, type Judgement, type TrainedJudge } from '../judgement/index.js';
import { starPartOf } from '../judgement/parts.js';
import { isChange, parseQuantities } from '../judgement/quantities.js';
import { STAR_ROLES } from '../../eval/corpus/schema.js';
import { SCORE_DIMENSIONS, clampScore } from '../../core/types.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';

/**
 * The measured assessment, the same for every provider: the rubric's metrics with the trained judgement's
 * scores (a model's judgement is added last, by the `score` node). Streams a one-line summary of what was
 * measured.
 */
export async function assess(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'assess', async () => {
    const jobText = state.passages
      .filter((p) => p.kind !== 'resume')
      .map((p) => p.text)
      .join('\n');
    const { scorer, judgement } = coachContext(config);
    const asked = whatIsAsked(state.question);
    const rubric = measureAnswer(state.answer, jobKeywords(jobText, state.question), asked);
    const judge = judgeFor(judgement);
    const assessment =
      scorer === 'rubric' || !judge ? rubric : await withTrainedScores(judge, rubric, state, jobText, asked);
    const m = assessment.metrics;
    const found = STAR_PARTS.filter((p) => m.star[p]);
    const summary =
      `${m.words} words; STAR parts found: ${found.join(', ') || 'none'}; ` +
      `${m.quantities.length} quantified result(s); ${m.fillers.length} filler word(s); ` +
      `${Math.round(m.keywordCoverage * 100)}% of the role's key terms.`;
    // A measurement, not writing: paced, it would only hold back the critique's first sentence.
    await speak(config, 'assess', { composed: summary, unpaced: 'all' });
    return { assessment };
  });
}

/**
 * What was asked, as the judgement learnt questions and as the feedback and the follow-up read them: without
 * the persona's wording or a quote of the job.
 */
export const whatIsAsked = (question: string): string => withoutLead(withoutFraming(question));

/**
 * The job as the trained judge reads one, and as the labelled corpus gave it: the role as its title and the
 * job's requirement sentences (agents/coach-text/requirements.ts); every sentence of the passages when they
 * hold none.
 */
function jobOf(state: CoachStateType, jobText: string, question: string) {
  const sentences = segmentSentences(jobText.replace(/[*_#>`|]+/g, ' ').replace(/^\s*[-•]\s*/gm, ''))
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /\p{L}/u.test(s));
  const title = stripMarkdown(withoutInstructions(state.role ?? '').text).trim() || sentences[0] || question;
  const requirements = requirementSentences(state.passages, title);
  return { title, requirements: (requirements.length ? requirements : sentences.slice(1)).slice(0, 24) };
}

/**
 * The rubric's key terms kept to the job's own, in the job's words: the rubric also counts the question's
 * words, and the feedback then told the candidate to "connect to the role" with words of the question
 * ("club, project") and with stems ("servic").
 */
function ofTheJob(metrics: RubricMetrics, job: ReturnType<typeof jobOf>): RubricMetrics {
  const words = termWords([job.title, ...job.requirements].join(' '));
  const said = (keywords: string[]) => keywords.flatMap((k) => words.get(k) ?? []);
  const keywordsHit = said(metrics.keywordsHit);
  const keywordsMissed = said(metrics.keywordsMissed);
  const all = keywordsHit.length + keywordsMissed.length;
  return { ...metrics, keywordsHit, keywordsMissed, keywordCoverage: all ? keywordsHit.length / all : 0 };
}

/** Where the judgement's agency head puts the candidate's own action (agency: personal, team, passive, none). */
const PERSONAL = 0;
/**
 * The metrics as the trained judgement reads the answer: each STAR part is the sentence its sentence model
 * is surest plays that part (for the action, one the candidate did personally when there is one), and the
 * quantities include what the quantity parser reads ("one in five to one in fifty", "weekly to daily"), not
 * only digits. The rubric's cue words missed both, and the feedback then asked for a result the answer gave.
 */
export function judgedMetrics(
  metrics: RubricMetrics,
  judged: Judgement,
  answer: string,
  question = '',
): RubricMetrics {
  const star = Object.fromEntries(STAR_PARTS.map((p) => [p, null])) as RubricMetrics['star'];
  for (const part of STAR_PARTS) {
    const role = STAR_ROLES.indexOf(part);
    // What the candidate would do, or does as a rule, is no action taken and no result had (unless it is
    // what they were asked).
    const playing = judged.sentences.filter(
      ({ roles, text }) => starPartOf(roles) === part && canTell(part, text, question),
    );
    const preferred =
      part === 'action' ? playing.filter(({ roles }) => argmax(roles.agency) === PERSONAL) : [];
    const surest = [...(preferred.length ? preferred : playing)].sort(
      (a, b) => b.roles.star[role]! - a.roles.star[role]!,
    )[0];
    star[part] = surest?.text ?? null;
  }
  // A change ("weekly to daily") is a result wherever it is said; a plain number ("a few", "two teams") only
  // in a sentence that tells the result, only when no change was said, and never one that measures nothing
  // ("first-quarter leavers", "in 2019").
  const changes = parseQuantities(answer).filter(isChange);
  const numbers = judged.sentences
    .filter(({ roles }) => starPartOf(roles) === 'result')
    .flatMap(({ text }) => parseQuantities(text))
    .filter((q) => !isChange(q) && !q.incidental);
  const spoken = (changes.length ? changes : numbers).map((q) => q.text);
  // The rubric's digits, unless said already with what they count ("20 riders" over "20").
  const digits = metrics.quantities.filter((d) => !spoken.some((q) => q === d || q.startsWith(`${d} `)));
  return { ...metrics, star, quantities: [...new Set([...spoken, ...digits])] };
}

/**
 * The rubric's assessment with the trained judgement's scores (agents/judgement; it agrees with the labelled
 * corpus far better than the keyword rubric on every dimension, see `npm run eval`), its STAR parts and the
 * quantity parser's numbers, and the reasons, strengths and gaps written from them, so the feedback says what
 * the scores say. The relevance reason names the closest requirement, since relevance is judged by meaning,
 * not by shared keywords. Without the embedding model the rubric scores.
 */
async function withTrainedScores(
  judge: TrainedJudge,
  rubric: Assessment,
  state: CoachStateType,
  jobText: string,
  question: string,
): Promise<Assessment> {
  // Sentences addressed to the coach are not part of the answer (as in the rubric), and cap clarity.
  const answer = withoutInstructions(state.answer).text;
  if (!answer.trim()) return rubric;
  const job = jobOf(state, jobText, question);
  const judged = await judge.judge({ job, question, answer });
  const scores = { ...judged.scores };
  if (rubric.metrics.instructions.length)
    scores.clarity = clampScore(Math.min(scores.clarity, INSTRUCTED_CLARITY));
  for (const d of SCORE_DIMENSIONS) scores[d] = clampScore(scores[d]);
  const sentenceParts = judged.sentences.map(({ text, roles }) => ({ text, part: starPartOf(roles) }));
  const read = ofTheJob(judgedMetrics(rubric.metrics, judged, answer, question), job);
  // What the stronger answer will drop as off the story, so the feedback names what cost conciseness.
  const { removed } = strongerAnswer(
    answer,
    { ...rubric, metrics: read, scores, sentenceParts },
    { question: state.question },
  );
  const metrics = { ...read, asides: removed.tangents };
  const { reasons, strengths, gaps } = explain(metrics, scores);
  if (judged.closest && jobText.trim()) {
    reasons.relevance = `Closest to the role: "${judged.closest.sentence}" speaks to "${judged.closest.requirement}".`;
  }
  return { metrics, scores, reasons, strengths, gaps, sentenceParts };
}
