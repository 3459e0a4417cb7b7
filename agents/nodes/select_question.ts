import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { candidatesFor, QUESTION_BANK, type BankQuestion } from '../questions/bank.js';
import { generatedQuestions } from '../questions/generated.js';
import { selectQuestionPrompt } from '../prompts/index.js';
import { PERSONA_STYLES, framingWords, wordQuestion } from '../persona.js';
import { echoes, withoutInstructions } from '../guard.js';
import { terms } from '../../core/text/index.js';
import { PERSONAS } from '../../core/types.js';
import type { ScoredChunk } from '../../ingestion/store.js';
import { closestPhrase, requirementPhrases } from '../coach-text/requirements.js';
import { inferRoleFamily, type RoleFamily } from '../coach-text/role-family.js';
import { lastAskedAt } from '../coach-text/same-question.js';
import {
  MAX_QUESTION_WORDS,
  SHORTEST_LEAD_WORDS,
  groundedQuestion,
  questionWordings,
} from '../coach-text/question-wording.js';
import { wordCount } from '../coach-text/text.js';
import { pick } from '../coach-text/variant.js';
import { stripMarkdown } from '../coach-text/markdown.js';

function fit(question: BankQuestion, passageTerms: Set<string>): number {
  return question.keywords.filter((k) => [...passageTerms].some((t) => t.startsWith(terms(k)[0] ?? k)))
    .length;
}

/** A question on a competency the candidate is weakest in outweighs a couple of keyword matches. */
const FOCUS_BONUS = 3;
/**
 * A competency one of the session's last two questions asked about is asked again only when nothing else fits
 * about as well: a three-round session asked about working with other teams twice, in two wordings.
 */
const RECENT_COMPETENCY_PENALTY = FOCUS_BONUS;
const RECENT_QUESTIONS = 2;

export interface QuestionOptions {
  /** The job's role family (see coach-text/role-family.ts); undefined: the bank is not filtered by family. */
  family?: RoleFamily | null;
  /** Words the persona puts around the question (its lead and close): the question gets the rest. */
  framing?: number;
  /** A mock panel's director chose what to ask about: only bank questions on this competency. */
  competency?: string;
}

/**
 * The bank questions on a competency a panelist chose, of any module: those not yet asked, else all of
 * them (the least recently asked first would need the order; the director never asks one competency twice
 * but for a follow-up, which does not come here).
 */
function onCompetency(
  state: CoachStateType,
  competency: string,
  family: RoleFamily | null | undefined,
): BankQuestion[] {
  const all = candidatesFor('mixed', state.seniority, state.asked, undefined, family).filter(
    (q) => q.competency === competency,
  );
  return all.length > 0 ? all : QUESTION_BANK.filter((q) => q.competency === competency);
}

/**
 * A panelist's follow-up on their own question after a vague answer: one of the bank's follow-ups of the
 * question they asked (the last one asked), picked from the job and round so a retry asks the same.
 */
export function panelFollowUp(state: CoachStateType, competency: string): string {
  const last = state.asked.at(-1) ?? '';
  const ofCompetency = QUESTION_BANK.filter((q) => q.competency === competency);
  const asked = ofCompetency.find((q) => lastAskedAt(q.text, [last]) >= 0) ?? ofCompetency[0];
  return asked
    ? pick(asked.followUps, 'panel-follow-up', state.jobId, state.round)
    : 'Could you be more specific: what did you do yourself, and what changed because of it?';
}

/**
 * Picks the bank question that fits the job best — of the job's role family, weighted towards the
 * candidate's weakest competencies, never one already asked (by meaning) — and grounds it in one short
 * requirement phrase of the job on its subject (or asks it plainly when none is). Every second round of a
 * behavioral or mixed session asks the candidate to prove one of the job's stated requirements instead. The
 * wording is picked from the job and round, so the same turn is always asked the same way.
 */
export function composeQuestion(
  state: CoachStateType,
  options: QuestionOptions = {},
): { text: string; citations: ScoredChunk[]; seed: BankQuestion } {
  const budget = MAX_QUESTION_WORDS - (options.framing ?? 0);
  const seed = [state.jobId, state.round] as const;
  const resume = state.passages.find((p) => p.kind === 'resume');
  if (
    !options.competency &&
    state.round % 2 === 0 &&
    (state.module === 'behavioral' || state.module === 'mixed')
  ) {
    const fresh = generatedQuestions(state.passages, ...seed).find(
      ({ phrase, question }) => lastAskedAt(phrase, state.asked) < 0 && wordCount(question.text) <= budget,
    );
    if (fresh) {
      const citations = [fresh.passage, resume].filter((p): p is ScoredChunk => Boolean(p));
      return { text: fresh.question.text, citations, seed: fresh.question };
    }
  }
  const passageTerms = new Set(state.passages.flatMap((p) => terms(p.text)));
  const candidates = options.competency
    ? onCompetency(state, options.competency, options.family)
    : candidatesFor(state.module, state.seniority, state.asked, state.round, options.family);
  const focus = new Set(state.focus);
  // This session's questions only: those of the last sessions come first in `asked`, and the competency a
  // candidate was weakest in last time is what a new session starts on.
  const recent = state.round > 1 ? state.asked.slice(-Math.min(RECENT_QUESTIONS, state.round - 1)) : [];
  const justAsked = new Set(
    QUESTION_BANK.filter((q) => lastAskedAt(q.text, recent) >= 0).map((q) => q.competency),
  );
  const score = (q: BankQuestion) =>
    fit(q, passageTerms) +
    (focus.has(q.competency) ? FOCUS_BONUS : 0) -
    (justAsked.has(q.competency) ? RECENT_COMPETENCY_PENALTY : 0);
  const ranked = [...candidates].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
  // The job's title is the user's text: an instruction typed into it is not repeated.
  const role = stripMarkdown(withoutInstructions(state.role).text).replace(/[.]+$/, '');
  // A requirement already quoted is not quoted again (the same test as for the questions proving one, above):
  // two questions of one session quoted "partner with procurement".
  const phrases = requirementPhrases(state.passages).filter((r) => lastAskedAt(r.phrase, state.asked) < 0);
  // A question grounded in a phrase on its own subject, in the seeded wording or a shorter one that leaves
  // the phrase room; null when no phrase of the job speaks to it.
  const groundedOn = (q: BankQuestion) => {
    for (const question of questionWordings(q.text, ...seed)) {
      const room = budget - wordCount(question) - SHORTEST_LEAD_WORDS;
      const anchor = closestPhrase(
        phrases.filter((r) => wordCount(r.phrase) <= room),
        q.keywords,
      );
      if (!anchor) continue;
      const text = groundedQuestion(anchor.phrase, role, question, budget, ...seed);
      if (text !== question) return { chosen: q, text, quoted: anchor.passage };
    }
    return null;
  };
  // Of the questions that fit the job about as well as the best, the first a requirement of the job speaks
  // to, quoting it; when none does, the best asked plainly. A requirement on another subject quoted before
  // it read as a non sequitur ("This role calls for 'work with parents'. Tell me about a group project…").
  const top = score(ranked[0]!);
  const near = ranked.filter((q) => score(q) >= top - 1);
  const found = near.reduce<ReturnType<typeof groundedOn>>((got, q) => got ?? groundedOn(q), null);
  const { chosen, text, quoted } = found ?? {
    chosen: ranked[0]!,
    text: questionWordings(ranked[0]!.text, ...seed)[0]!,
    quoted: undefined,
  };
  const citations = [quoted, resume].filter((p): p is ScoredChunk => Boolean(p));
  return { text, citations, seed: chosen };
}

/**
 * A model's question is used only when it is one short question about this job: at least a third of its
 * terms come from the bank question it adapts, the job's passages, the role, the company or the persona's own
 * words. Anything else (a question an injected document asked for) gives way to the composed question.
 */
export function fitsJob(question: string, grounds: string[]): boolean {
  const words = question.split(/\s+/).filter(Boolean).length;
  if (!question.includes('?') || words > 60) return false;
  // Words for the job itself ("Why this role?") are about this job whatever the composed text said.
  const known = new Set([...grounds.flatMap((g) => terms(g)), 'role', 'job', 'position', 'team', 'company']);
  const own = [...new Set(terms(question))].filter((t) => t.length > 2);
  return own.length > 0 && own.filter((t) => known.has(t)).length * 3 >= own.length;
}

export async function selectQuestion(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'select_question', async () => {
    const { embedder, version } = coachContext(config);
    const family = await inferRoleFamily(
      {
        title: state.role,
        description: state.passages
          .filter((p) => p.kind === 'jd')
          .map((p) => p.text)
          .join('\n'),
      },
      embedder,
    );
    const first = state.round === 1;
    const wanted = state.direction?.kind === 'ask' ? state.direction : undefined;
    if (wanted?.followUp) {
      // A follow-up is the panelist's own words on their own question: nothing to ground or to ask a model.
      const text = await speak(config, 'select_question', {
        composed: wordQuestion(state.persona, panelFollowUp(state, wanted.competency), false),
      });
      return { question: text, competency: wanted.competency, questionCitations: [] };
    }
    // Room for the wordiest persona's framing, so every persona asks the same question underneath.
    const framing = Math.max(...PERSONAS.map(framingWords));
    const composed = composeQuestion(state, {
      family,
      framing,
      ...(wanted && { competency: wanted.competency }),
    });
    const prompt = selectQuestionPrompt(
      {
        role: state.role,
        company: state.company,
        module: state.module,
        seed: composed.seed.text,
        asked: state.asked,
        passages: state.passages,
      },
      version,
    );
    // The persona words the question: the offline coach frames the composed text, a model is told the tone.
    const style = PERSONA_STYLES[state.persona];
    const instructions = `${style.tone}${first ? ' This is the first question: open with a one-sentence introduction.' : ''}`;
    const text = await speak(config, 'select_question', {
      composed: wordQuestion(state.persona, composed.text, first),
      // A model's question is used only when it is about this job (see fitsJob), is not one already asked
      // (by meaning: a model rewords), and does not read its instructions back.
      accept: (reply) =>
        lastAskedAt(reply, state.asked) === -1 &&
        !echoes(reply, instructions) &&
        fitsJob(reply, [
          composed.text,
          composed.seed.text,
          state.role,
          state.company,
          style.intro,
          style.tone,
          ...state.passages.map((p) => p.text),
        ]),
      prompt: {
        system: prompt.system,
        user: `${prompt.user}\n${instructions}`,
      },
    });
    const citations = composed.citations.length > 0 ? composed.citations : state.passages.slice(0, 2);
    return {
      question: text,
      competency: composed.seed.competency,
      questionCitations: citations.map(({ documentId, chunkId, kind, text: t }) => ({
        documentId,
        chunkId,
        kind,
        text: t,
      })),
    };
  });
}
