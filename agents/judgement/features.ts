// What the judgement model sees of an answer: its sentences' MiniLM embeddings and explicit features
// (quantities, ownership, specificity, fillers, repetition and tangents, similarity to the job's requirement
// sentences), then the answer-level features over them. Sentence roles (STAR, agency, specificity) are
// predicted by the sentence heads of model.ts and folded in by answerFeatures().
import nlp from 'compromise';
import { findFillers, terms } from '../../core/text/index.js';
import { cosine } from '../../ingestion/embed.js';
import { meanVector, type SentenceEmbedder } from './embedder.js';
import { isChange, quantitiesOf, type Doc, type Quantity } from './quantities.js';
import { generalWording } from './wording.js';

export { parseQuantities, isChange, type Quantity } from './quantities.js';

/**
 * The sentences of a text as the labelled corpus counts them (Intl.Segmenter, sentence granularity, en), the
 * same as eval/corpus/schema.ts's segmentSentences: the app image ships agents/ but not eval/.
 */
export function segmentSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  return [...segmenter.segment(text)].map((s) => s.segment.trim()).filter(Boolean);
}

/** What the judge is given: the job's title and requirement sentences, the question and the answer. */
export interface JudgementInput {
  job: { title: string; requirements: readonly string[] };
  question: string;
  answer: string;
}

export const SENTENCE_FEATURES = [
  'position',
  'first',
  'last',
  'personal',
  'team',
  'passive',
  'quantities',
  'changes',
  'proper_nouns',
  'fillers',
  'words',
  // Added later, so last: heads trained before them read the features they know (sentenceRoles).
  'past',
  'present',
  'general',
  'story_similarity',
  'question_similarity',
] as const;

export interface SentenceAnalysis {
  text: string;
  embedding: number[];
  /** SENTENCE_FEATURES, in order. */
  explicit: number[];
  quantities: Quantity[];
  words: number;
  fillers: number;
}

export interface AnswerAnalysis {
  sentences: SentenceAnalysis[];
  /** The title's and each requirement's embeddings. */
  requirements: number[][];
  question: number[];
  /** What the question asks about, its frame ("Tell me about a time you…") left off: askedPhrase(). */
  asked: number[];
  /** The embeddings of COMPETENCIES, in order. */
  competencies: number[][];
  words: number;
  /** Share of the answer's content terms that occur in the job's text. */
  jobTermOverlap: number;
  /** Share of the asked phrase's content terms that the answer says. */
  askedTermShare: number;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Ownership and names in one sentence, read through compromise's tags. */
function sentenceTags(doc: Doc) {
  return {
    personal: doc.match('(i|me|my|myself)').found ? 1 : 0,
    team: doc.match('(we|us|our|ourselves)').found ? 1 : 0,
    passive: doc.match('#Passive').found ? 1 : 0,
    properNouns: doc.match('(#ProperNoun|#Acronym)').length,
    past: doc.match('#PastTense').found ? 1 : 0,
    present: doc.match('#PresentTense').found ? 1 : 0,
    general: generalWording(doc) ? 1 : 0,
  };
}

function termOverlap(text: string, reference: string): number {
  const own = terms(text);
  if (!own.length) return 0;
  const ref = new Set(terms(reference));
  return own.filter((t) => ref.has(t)).length / own.length;
}

/**
 * What a question asks about, without its frame: "Tell me about a time you disagreed with a teammate." →
 * "disagreed with a teammate". The frame is most of a short question's embedding and every behavioural
 * answer is about as close to it, so the answer is compared with what is asked. A question in no known frame
 * is kept whole.
 */
export function askedPhrase(question: string): string {
  const phrase = question
    .trim()
    .replace(
      /^(?:(?:can|could) you\s+)?(?:tell me about|describe|give me an example of|walk me through|talk me through|share)\s+(?:a time|an? (?:occasion|situation|moment|example|case))?\s*(?:when|where|in which|that)?\s*(?:you\s+)?/i,
      '',
    )
    .replace(/^how (?:do|did|have|would|will) you\s+/i, '')
    .replace(/[?.!\s]+$/, '');
  return phrase || question;
}

/**
 * What behavioural questions ask about, one line each: a question and an answer are compared through their
 * similarities to these (the question's competency against the answer's), beside their direct similarity.
 */
export const COMPETENCIES = [
  'a disagreement or conflict with a colleague or a manager',
  'a mistake or a failure, and what was learned from it',
  'mentoring, coaching, teaching or training someone',
  'making a system or a process faster, safer or more reliable',
  'cutting costs or saving money',
  'an angry or unhappy customer, client or family, or a complaint',
  'a tight deadline, too much work or pressure',
  'using data or numbers to make a decision',
  'persuading, negotiating or saying no to someone',
  'leading a team or people through a change',
  'an emergency, an incident, an outage or a safety problem',
  'working with another team or another profession',
  'hiring, recruiting or onboarding people',
  'finding and fixing an error or a defect',
] as const;

/** Embeds and reads every sentence of the answer and the job's requirement sentences. */
export async function analyseAnswer(
  input: JudgementInput,
  embedder: SentenceEmbedder,
): Promise<AnswerAnalysis> {
  const texts = segmentSentences(input.answer);
  const sentences = texts.length ? texts : [input.answer.trim() || '-'];
  const requirementTexts = [input.job.title, ...input.job.requirements];
  // The model runs on its own threads: the sentences are read (compromise, on this thread) meanwhile.
  const embedding = embedder.embed([
    ...sentences,
    ...requirementTexts,
    input.question,
    askedPhrase(input.question),
    ...COMPETENCIES,
  ]);
  const n = sentences.length;
  const read = sentences.map((text, i) => {
    const doc = nlp(text) as unknown as Doc;
    const quantities = quantitiesOf(doc);
    const tags = sentenceTags(doc);
    const words = wordCount(text);
    const fillers = findFillers(text).length;
    const explicit = [
      n > 1 ? i / (n - 1) : 0,
      i === 0 ? 1 : 0,
      i === n - 1 ? 1 : 0,
      tags.personal,
      tags.team,
      tags.passive,
      Math.log1p(quantities.length),
      Math.log1p(quantities.filter(isChange).length),
      Math.log1p(tags.properNouns),
      Math.log1p(fillers),
      words / 20,
      tags.past,
      tags.present,
      tags.general,
    ];
    return { text, explicit, quantities, words, fillers };
  });
  const vectors = await embedding;
  const q = n + requirementTexts.length;
  const story = storySimilarities(vectors.slice(0, n));
  const analysed = read.map((r, i): SentenceAnalysis => ({
    ...r,
    embedding: vectors[i]!,
    explicit: [...r.explicit, story[i]!, cosine(vectors[i]!, vectors[q + 1]!)],
  }));
  return {
    sentences: analysed,
    requirements: vectors.slice(n, q),
    question: vectors[q]!,
    asked: vectors[q + 1]!,
    competencies: vectors.slice(q + 2),
    words: wordCount(input.answer),
    jobTermOverlap: termOverlap(input.answer, requirementTexts.join(' ')),
    askedTermShare: termOverlap(askedPhrase(input.question), input.answer),
  };
}

/** Per-sentence probabilities from the sentence heads, in the label orders of eval/corpus/schema.ts. */
/** The index of the largest value, the first on ties: a sentence's most likely role in a head. */
export const argmax = (xs: readonly number[]): number => xs.indexOf(Math.max(...xs));

export interface SentenceRoles {
  /** situation, task, action, result, other */
  star: number[];
  /** personal, team, passive, none */
  agency: number[];
  /** specific, vague */
  specificity: number[];
}

/**
 * The features that read how well the answer fits the question asked: relevance's model alone reads them
 * (train.ts). The three older ones on the question (answer_question_similarity, question_job_similarity,
 * job_minus_question) stay open to every dimension: barring them too lowered dev-CV impact and conciseness.
 */
export const QUESTION_FIT_FEATURES = [
  'question_top1',
  'asked_top1',
  'asked_pooled',
  'asked_beyond_competencies',
  'competency_agreement',
  'asked_terms',
  'asked_times_job',
] as const;

export const ANSWER_FEATURES = [
  'log_words',
  'sentences',
  'words_per_sentence',
  'fillers_per_100_words',
  'fillers',
  'quantities',
  'changes',
  'max_factor',
  'quantified_result',
  'personal_share',
  'team_share',
  'passive_share',
  'personal_action',
  'team_action',
  'has_situation',
  'has_task',
  'has_action',
  'has_result',
  'other_share',
  'result_share',
  'action_share',
  'star_order',
  'specific_mean',
  'specific_min',
  'vague_share',
  'story_similarity_min',
  'story_similarity_mean',
  'tangent_share',
  'near_duplicates',
  'max_pair_similarity',
  'requirement_top1',
  'requirement_top3',
  'requirement_mean',
  'requirement_share',
  'answer_job_similarity',
  'answer_question_similarity',
  'question_job_similarity',
  'job_minus_question',
  'last_result',
  'changed_result',
  'job_term_overlap',
  'stuffing',
  'relevant_story',
  'relevant_personal',
  'result_present',
  'result_quantified_present',
  'action_present',
  'personal_action_present',
  // Added later, so last: weights trained before them read the features they know (scoresOf).
  ...QUESTION_FIT_FEATURES,
] as const;

/** 0 below `lo`, 1 above `hi`, linear between: a soft presence of a sentence role. */
const ramp = (x: number, lo = 0.3, hi = 0.6) => Math.min(1, Math.max(0, (x - lo) / (hi - lo)));

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length ? sum(xs) / xs.length : 0);
const max = (xs: readonly number[]) => (xs.length ? Math.max(...xs) : 0);
const min = (xs: readonly number[]) => (xs.length ? Math.min(...xs) : 0);

/** Similarity of each sentence to the rest of the story (the mean of the other sentences). */
function storySimilarities(embeddings: readonly number[][]): number[] {
  if (embeddings.length < 2) return embeddings.map(() => 1);
  const total = embeddings[0]!.map((_, d) => sum(embeddings.map((e) => e[d]!)));
  return embeddings.map((e) =>
    cosine(
      e,
      total.map((t, d) => t - e[d]!),
    ),
  );
}

/** Each value less the values' mean: a profile over the competencies, not its overall level. */
const centred = (xs: readonly number[]) => xs.map((x) => x - mean(xs));

/**
 * How well the answer fits the question asked, read four ways: its sentences' similarity to the question and
 * to the question's subject, and whether the competencies the question asks about are the answer's.
 */
function questionFit(a: AnswerAnalysis, pooled: readonly number[]): number[] {
  const asked = cosine(pooled, a.asked);
  const toCompetencies = a.competencies.map((c) => cosine(pooled, c));
  return [
    max(a.sentences.map((x) => cosine(x.embedding, a.question))),
    max(a.sentences.map((x) => cosine(x.embedding, a.asked))),
    asked,
    // Closer to what was asked than to what behavioural questions ask about in general.
    asked - mean(toCompetencies),
    cosine(centred(a.competencies.map((c) => cosine(a.asked, c))), centred(toCompetencies)),
    a.askedTermShare,
    // Relevance needs both: an answer to the question asked, and one that fits the job.
    Math.max(0, asked) * Math.max(0, cosine(pooled, meanVector(a.requirements))),
  ];
}

/** ANSWER_FEATURES, in order, and the answer's pooled (mean) sentence embedding. */
export function answerFeatures(
  a: AnswerAnalysis,
  roles: readonly SentenceRoles[],
): { features: number[]; pooled: number[] } {
  const s = a.sentences;
  const n = s.length;
  const fillers = sum(s.map((x) => x.fillers));
  const quantities = s.flatMap((x) => x.quantities);
  const changes = quantities.filter(isChange);
  const factors = changes.map((q) => Math.min(q.factor ?? 1, 1000));
  const pStar = (k: number) => roles.map((r) => r.star[k]!);
  const [situation, task, action, result, other] = [0, 1, 2, 3, 4].map(pStar) as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const personal = roles.map((r) => r.agency[0]!);
  const team = roles.map((r) => r.agency[1]!);
  const passive = roles.map((r) => r.agency[2]!);
  const specific = roles.map((r) => r.specificity[0]!);
  const actionWeight = sum(action) || 1;
  // STAR order: the expected position of situation before action before result, scored 0..1.
  const position = (p: number[]) => (sum(p) ? sum(p.map((x, i) => x * i)) / sum(p) : (n - 1) / 2);
  const order =
    (position(situation) <= position(action) ? 0.5 : 0) + (position(action) <= position(result) ? 0.5 : 0);
  const story = storySimilarities(s.map((x) => x.embedding));
  let duplicates = 0;
  let maxPair = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = cosine(s[i]!.embedding, s[j]!.embedding);
      maxPair = Math.max(maxPair, c);
      if (c > 0.85) duplicates++;
    }
  }
  const requirementMax = s.map((x) => max(a.requirements.map((r) => cosine(x.embedding, r))));
  const sorted = [...requirementMax].sort((x, y) => y - x);
  const pooled = meanVector(s.map((x) => x.embedding));
  const features = [
    Math.log(Math.max(1, a.words)),
    Math.log(n),
    Math.log(Math.max(1, a.words / n)),
    (100 * fillers) / Math.max(1, a.words),
    Math.log1p(fillers),
    Math.log1p(quantities.length),
    Math.log1p(changes.length),
    Math.log(max(factors) || 1),
    max(s.map((x, i) => (x.quantities.length ? result[i]! : 0))),
    mean(s.map((x) => x.explicit[3]!)),
    mean(s.map((x) => x.explicit[4]!)),
    mean(s.map((x) => x.explicit[5]!)),
    sum(action.map((p, i) => p * personal[i]!)) / actionWeight,
    sum(action.map((p, i) => p * (team[i]! + passive[i]!))) / actionWeight,
    max(situation),
    max(task),
    max(action),
    max(result),
    mean(other),
    mean(result),
    mean(action),
    order,
    mean(specific),
    min(specific),
    mean(specific.map((p) => (p < 0.5 ? 1 : 0))),
    min(story),
    mean(story),
    mean(story.map((c) => (c < 0.3 ? 1 : 0))),
    Math.log1p(duplicates),
    maxPair,
    sorted[0] ?? 0,
    mean(sorted.slice(0, 3)),
    mean(requirementMax),
    mean(requirementMax.map((c) => (c > 0.35 ? 1 : 0))),
    cosine(pooled, meanVector(a.requirements)),
    cosine(pooled, a.question),
    cosine(a.question, meanVector(a.requirements)),
    cosine(pooled, meanVector(a.requirements)) - cosine(pooled, a.question),
    result[n - 1] ?? 0,
    max(s.map((x, i) => (x.quantities.some(isChange) ? result[i]! : 0))),
    a.jobTermOverlap,
    a.jobTermOverlap * (1 - max(action)),
    mean(sorted.slice(0, 3)) * max(action),
    mean(requirementMax) * (sum(action.map((p, i) => p * personal[i]!)) / actionWeight),
    ramp(max(result)),
    ramp(max(result)) * Math.log1p(quantities.length),
    ramp(max(action)),
    ramp(max(action.map((p, i) => p * personal[i]!))),
    ...questionFit(a, pooled),
  ];
  return { features, pooled };
}
