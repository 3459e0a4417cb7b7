import type { CoachStateType, CoachStateUpdate } from '../state.js';
import { coachContext, inNode, speak, type NodeConfig } from '../context.js';
import { candidatesFor, type BankQuestion } from '../questions/bank.js';
import { generatedQuestions } from '../questions/generated.js';
import { selectQuestionPrompt } from '../prompts/index.js';
import { PERSONA_STYLES, wordQuestion } from '../persona.js';
import { withoutInstructions } from '../guard.js';
import { splitSentences, terms } from '../../core/text/index.js';
import type { ScoredChunk } from '../../ingestion/store.js';

function fit(question: BankQuestion, passageTerms: Set<string>): number {
  return question.keywords.filter((k) => [...passageTerms].some((t) => t.startsWith(terms(k)[0] ?? k)))
    .length;
}

/** The sentence of the job's passages that shares most with the chosen question. */
function anchorSentence(
  passages: ScoredChunk[],
  question: BankQuestion,
): { sentence: string; passage: ScoredChunk } | null {
  let best: { sentence: string; passage: ScoredChunk; score: number } | null = null;
  for (const passage of passages.filter((p) => p.kind !== 'resume')) {
    const body = passage.text.replace(/^[^:]{1,60}:\s*/, '');
    for (const sentence of splitSentences(body)) {
      const words = new Set(terms(sentence));
      const score = question.keywords.filter((k) =>
        [...words].some((w) => w.startsWith(terms(k)[0] ?? k)),
      ).length;
      if (!best || score > best.score) best = { sentence, passage, score };
    }
  }
  return best;
}

/** A question on a competency the candidate is weakest in outweighs a couple of keyword matches. */
const FOCUS_BONUS = 3;

/**
 * Picks the bank question that fits the job best — weighted towards the candidate's weakest competencies,
 * never one already asked — and grounds it in a passage.
 */
export function composeQuestion(state: CoachStateType): {
  text: string;
  citations: ScoredChunk[];
  seed: BankQuestion;
} {
  const resume = state.passages.find((p) => p.kind === 'resume');
  // Every second round of a behavioral or mixed session asks the candidate to prove one of the job's own
  // stated requirements, beside the bank's questions.
  if (state.round % 2 === 0 && (state.module === 'behavioral' || state.module === 'mixed')) {
    const fresh = generatedQuestions(state.passages).find(
      ({ question }) => !state.asked.some((a) => a.includes(question.text)),
    );
    if (fresh) {
      const citations = [fresh.passage, resume].filter((p): p is ScoredChunk => Boolean(p));
      return { text: fresh.question.text, citations, seed: fresh.question };
    }
  }
  const passageTerms = new Set(state.passages.flatMap((p) => terms(p.text)));
  const candidates = candidatesFor(state.module, state.seniority, state.asked, state.round);
  const focus = new Set(state.focus);
  const score = (q: BankQuestion) => fit(q, passageTerms) + (focus.has(q.competency) ? FOCUS_BONUS : 0);
  const ranked = [...candidates].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
  const seed = ranked[0]!;
  const anchor = anchorSentence(state.passages, seed);
  // The job's title and company are the user's text: an instruction typed into them is not repeated.
  const [role, company] = [state.role, state.company].map((t) =>
    withoutInstructions(t).text.replace(/[.]+$/, ''),
  );
  const lead = anchor
    ? `The ${role} role at ${company} calls for this: "${anchor.sentence.replace(/[.;]+$/, '')}." `
    : '';
  const citations = [anchor?.passage, resume].filter((p): p is ScoredChunk => Boolean(p));
  return { text: `${lead}${seed.text}`, citations, seed };
}

/**
 * A model's question is used only when it is one short question about this job: at least a third of its
 * terms come from the bank question it adapts, the job's passages, the role, the company or the persona's own
 * words. Anything else (a question an injected document asked for) gives way to the composed question.
 */
export function fitsJob(question: string, grounds: string[]): boolean {
  const words = question.split(/\s+/).filter(Boolean).length;
  if (!question.includes('?') || words > 60) return false;
  const known = new Set(grounds.flatMap((g) => terms(g)));
  const own = [...new Set(terms(question))].filter((t) => t.length > 2);
  return own.length > 0 && own.filter((t) => known.has(t)).length * 3 >= own.length;
}

export async function selectQuestion(state: CoachStateType, config: NodeConfig): Promise<CoachStateUpdate> {
  return inNode(config, 'select_question', async () => {
    const composed = composeQuestion(state);
    const prompt = selectQuestionPrompt(
      {
        role: state.role,
        company: state.company,
        module: state.module,
        seed: composed.seed.text,
        asked: state.asked,
        passages: state.passages,
      },
      coachContext(config).version,
    );
    // The persona words the question: the offline coach frames the composed text, a model is told the tone.
    const first = state.round === 1;
    const style = PERSONA_STYLES[state.persona];
    const text = await speak(config, 'select_question', {
      composed: wordQuestion(state.persona, composed.text, first),
      // A model's question is used only when it is about this job (see fitsJob).
      accept: (reply) =>
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
        user: `${prompt.user}\n${PERSONA_STYLES[state.persona].tone}${first ? ' This is the first question: open with a one-sentence introduction.' : ''}`,
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
