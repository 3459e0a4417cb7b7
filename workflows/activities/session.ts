// Session activities: thin wrappers that run the coach graph, stream into the event log and keep the
// read model (sessions, turns) up to date. Every write is an idempotent upsert.
import { Context } from '@temporalio/activity';
import { debriefOf, finalAttempts, weakCompetencies } from '../../core/analytics.js';
import type { Db } from '../../core/db/client.js';
import * as jobs from '../../core/stores/jobs.js';
import * as sessions from '../../core/stores/sessions.js';
import * as turns from '../../core/stores/turns.js';
import type { EventLog } from '../../core/events.js';
import type {
  Citation,
  Feedback,
  GraphNode,
  Mode,
  Module,
  Persona,
  Seniority,
  SessionStatus,
  SpeechMetrics,
} from '../../core/types.js';
import type { CoachContext } from '../../agents/context.js';
import type { CoachGraph } from '../../agents/graph.js';
import { runCoach } from '../../agents/run.js';
import { addTokens } from '../../core/stores/token-usage.js';
import { EventSink } from './sink.js';
import type { PractiseQuestion, SessionInput } from '../messages.js';
import { withinAttempt } from './attempt.js';
import { probeFor } from '../../agents/probe.js';

export interface SessionActivityDeps {
  db: Db;
  events: EventLog;
  graph: CoachGraph;
  coach: CoachContext;
  /** How long one attempt of a model-backed activity may run before it is abandoned (see attempt.ts). */
  attemptSeconds: number;
}

interface SessionRef {
  sessionId: string;
  ownerId: string;
  jobId: string;
  module: Module;
}

type AskInput = SessionRef & {
  turnId: string;
  round: number;
  asked: string[];
  difficulty?: Seniority;
  allowRepeats?: boolean;
  persona?: Persona;
  /** The question to ask instead of choosing one (practising a reviewed answer again). */
  practise?: PractiseQuestion;
};

type CoachInput = SessionRef & {
  turnId: string;
  round: number;
  question: string;
  answer: string;
  answered: { turnId: string; text: string };
  /** How a spoken answer sounded (voice answers only). */
  speech?: SpeechMetrics;
  /** How many times coaching this answer gave up before (its events then get keys of their own). */
  failedBefore?: number;
};

/** The feedback's parts the offline coach wrote although a model is configured, when there are any. */
function offlinePartsOf(nodes: readonly GraphNode[]): Pick<Feedback, 'offlineParts'> {
  const parts = FEEDBACK_PARTS.filter((p) => nodes.includes(p));
  return parts.length ? { offlineParts: parts } : {};
}
const FEEDBACK_PARTS = ['critique', 'rewrite', 'drill'] as const;

/** What the candidate reads when every attempt to coach their answer failed. */
export const COACH_DID_NOT_ANSWER =
  'The coach did not answer in time, so this answer was not coached. Your answer is saved: send it again, or try later.';

export function createSessionActivities({ db, events, graph, coach, attemptSeconds }: SessionActivityDeps) {
  const job = (ref: SessionRef) => jobs.titleOf(db, ref.jobId, ref.ownerId);

  /** Every coached turn of the owner (or of one session), oldest first: the history progress is measured on. */
  function coachedTurns(ownerId: string, sessionId?: string) {
    return turns.coachedTurns(db, { ownerId, sessionId });
  }

  /** The questions of the owner's last sessions before this one, oldest first. */
  async function recentQuestions(ref: SessionRef, lastSessions = 5): Promise<string[]> {
    return turns.questionsOf(db, ref.ownerId, await sessions.recentIds(db, ref, lastSessions));
  }

  const setStatus = (ref: SessionRef, status: SessionStatus, round: number) =>
    sessions.setStatus(db, ref, status, round);

  const saveQuestion = (ref: SessionRef, t: Parameters<typeof turns.saveQuestion>[2]) =>
    turns.saveQuestion(db, ref, t);

  /** Opens the sink of one phase; a retried attempt first tells the user (under a key of its own). */
  async function openSink(sessionId: string, prefix: string, signal?: AbortSignal): Promise<EventSink> {
    const { attempt } = Context.current().info;
    if (attempt === 2) {
      const notice = new EventSink(events, sessionId, `${prefix}:retry`, signal);
      notice.emit({
        type: 'error',
        message: 'The coach hit a problem and is retrying; nothing is lost.',
        retryable: true,
      });
      await notice.close();
    }
    return new EventSink(events, sessionId, prefix, signal);
  }

  async function ask(input: AskInput, signal: AbortSignal): Promise<{ text: string; citations: Citation[] }> {
    // A retry after the question was chosen and saved asks that same question (its client may have seen
    // it): choosing again could pick another, since recent questions and weak areas are read afresh.
    const chosen = await turns.savedQuestion(db, input.turnId);
    if (chosen) {
      const again = await openSink(input.sessionId, `${input.turnId}:ask`, signal);
      again.emit({ type: 'question', turnId: input.turnId, ...chosen }, 'question');
      await again.close();
      return chosen;
    }
    if (input.practise) return askAgain(input, input.practise, signal);
    const { title, company } = await job(input);
    // Questions of the candidate's last sessions come first (oldest first), so they are not asked again.
    const seenBefore = input.allowRepeats ? [] : await recentQuestions(input);
    const focus = weakCompetencies(finalAttempts(await coachedTurns(input.ownerId)));
    const sink = await openSink(input.sessionId, `${input.turnId}:ask`, signal);
    sink.emit({ type: 'state', status: 'active', round: input.round });
    const state = await runCoach(
      graph,
      {
        phase: 'ask',
        jobId: input.jobId,
        role: title,
        company,
        module: input.module,
        round: input.round,
        seniority: input.difficulty,
        persona: input.persona ?? 'neutral',
        asked: [...seenBefore, ...input.asked],
        focus,
      },
      coach,
      (e) => sink.emit(e),
      (tokens) => addTokens(db, input.ownerId, tokens),
      signal,
    );
    signal.throwIfAborted();
    const result = { text: state.question, citations: state.questionCitations };
    await saveQuestion(input, {
      turnId: input.turnId,
      round: input.round,
      question: result.text,
      citations: result.citations,
      competency: state.competency || null,
    });
    sink.emit(
      { type: 'question', turnId: input.turnId, text: result.text, citations: result.citations },
      'question',
    );
    await sink.close();
    return result;
  }

  /**
   * The question of an earlier turn, asked as this session's first: the reviewed wording, with the earlier
   * turn's competency and citations so progress and the coach treat it as the same question.
   */
  async function askAgain(input: AskInput, practise: PractiseQuestion, signal: AbortSignal) {
    const earlier = await turns.savedQuestion(db, practise.turnId);
    const result = { text: practise.question, citations: earlier?.citations ?? [] };
    await saveQuestion(input, {
      turnId: input.turnId,
      round: input.round,
      question: result.text,
      citations: result.citations,
      competency: (await turns.competencyOf(db, practise.turnId)) ?? null,
    });
    const sink = await openSink(input.sessionId, `${input.turnId}:ask`, signal);
    sink.emit({ type: 'state', status: 'active', round: input.round });
    sink.emit({ type: 'question', turnId: input.turnId, ...result }, 'question');
    await sink.close();
    return result;
  }

  async function coachOne(input: CoachInput, signal: AbortSignal): Promise<{ scores: Feedback['scores'] }> {
    // Each time the answer is sent again after coaching gave up, its events get keys of their own.
    const prefix = `${input.answered.turnId}:coach${input.failedBefore ? `:${input.failedBefore}` : ''}`;
    // A retry after an attempt saved the feedback (and perhaps sent it) sends that feedback, not another.
    if (Context.current().info.attempt > 1) {
      const saved = await turns.savedFeedback(db, input.turnId);
      if (saved) {
        const sink = await openSink(input.sessionId, prefix, signal);
        sink.emit({ type: 'feedback', ...saved }, 'feedback');
        await sink.close();
        return { scores: saved.scores };
      }
    }
    const { title, company } = await job(input);
    await turns.setAnswer(db, input.answered.turnId, input.answered.text);
    await setStatus(input, 'coaching', input.round);
    const sink = await openSink(input.sessionId, prefix, signal);
    sink.emit({ type: 'state', status: 'coaching', round: input.round });
    const state = await runCoach(
      graph,
      {
        phase: 'coach',
        jobId: input.jobId,
        role: title,
        company,
        module: input.module,
        round: input.round,
        question: input.question,
        answer: input.answer,
      },
      coach,
      (e) => sink.emit(e),
      (tokens) => addTokens(db, input.ownerId, tokens),
      signal,
    );
    signal.throwIfAborted();
    const a = state.assessment!;
    const feedback: Feedback = {
      turnId: input.turnId,
      scores: a.scores,
      reasons: a.reasons,
      starParts: a.metrics.star,
      strengths: a.strengths,
      gaps: a.gaps,
      critique: state.critiqueText,
      rewrite: state.rewriteText,
      drill: state.drillText,
      citations: state.passages.map(({ documentId, chunkId, kind, text }) => ({
        documentId,
        chunkId,
        kind,
        text,
      })),
      ...(input.speech && { speech: input.speech }),
      ...offlinePartsOf(state.offlineParts),
    };
    await turns.setFeedback(db, input.turnId, feedback);
    sink.emit({ type: 'feedback', ...feedback }, 'feedback');
    await sink.close();
    return { scores: a.scores };
  }

  return {
    /** Writes the session's row unless it exists (the API writes the same row right after starting). */
    async createSession(input: SessionInput & { mode: Mode }): Promise<void> {
      await sessions.create(db, {
        id: input.sessionId,
        ownerId: input.ownerId,
        jobId: input.jobId,
        module: input.module,
        mode: input.mode,
        rounds: input.rounds,
        autoAdvance: input.autoAdvance,
        difficulty: input.difficulty,
        persona: input.persona,
      });
    },

    async askQuestion(input: AskInput): Promise<{ text: string; citations: Citation[] }> {
      return withinAttempt(attemptSeconds, (signal) => ask(input, signal));
    },

    async repeatQuestion(
      input: SessionRef & {
        turnId: string;
        round: number;
        retryOf: string;
        question: string;
        citations: Citation[];
      },
    ): Promise<void> {
      const sink = new EventSink(events, input.sessionId, `${input.turnId}:repeat`);
      const competency = await turns.competencyOf(db, input.retryOf);
      await saveQuestion(input, { ...input, competency });
      sink.emit({
        type: 'question',
        turnId: input.turnId,
        text: input.question,
        citations: input.citations,
        retryOf: input.retryOf,
        round: input.round,
      });
      await sink.close();
    },

    /**
     * Asks one follow-up probe when the answer is too vague to coach (see agents/probe.ts): saves the
     * probe as a turn of its own and announces it like any question. Returns null when none is needed.
     */
    async askProbe(
      input: SessionRef & {
        turnId: string;
        probeOf: string;
        round: number;
        answer: string;
        persona?: Persona;
      },
    ): Promise<{ text: string } | null> {
      const text = probeFor(input.answer, input.persona ?? 'neutral');
      await turns.setAnswer(db, input.probeOf, input.answer);
      if (!text) return null;
      await saveQuestion(input, {
        turnId: input.turnId,
        round: input.round,
        question: text,
        citations: [],
        probeOf: input.probeOf,
      });
      const sink = new EventSink(events, input.sessionId, `${input.turnId}:probe`);
      sink.emit({
        type: 'question',
        turnId: input.turnId,
        text,
        citations: [],
        probeOf: input.probeOf,
        round: input.round,
      });
      await sink.close();
      return { text };
    },

    /**
     * Coaches an answer: `turnId` is the question's turn (its feedback), `answer` the text to judge (the
     * first answer and, after a follow-up probe, the probe's answer too), `answered` the turn just answered.
     */
    async coachAnswer(input: CoachInput): Promise<{ scores: Feedback['scores'] }> {
      return withinAttempt(attemptSeconds, (signal) => coachOne(input, signal));
    },

    /**
     * Every attempt to coach an answer failed: the candidate is told, and the same question waits for the
     * answer again (it is kept in the turn, so the page can offer it back).
     */
    async coachingFailed(input: SessionRef & { turnId: string; round: number; key: string }): Promise<void> {
      await setStatus(input, 'awaiting_answer', input.round);
      const sink = new EventSink(events, input.sessionId, `${input.turnId}:coach-failed:${input.key}`);
      sink.emit({ type: 'error', message: COACH_DID_NOT_ANSWER, retryable: true });
      sink.emit({ type: 'state', status: 'awaiting_answer', round: input.round });
      await sink.close();
    },

    /**
     * Publishes a status the workflow has already moved to, so a client that acts on it (answers, retries,
     * goes on) never reaches the workflow before the workflow is ready for it.
     */
    /** Summarises the session as it ends (averages of final attempts, strengths, gaps, next drills). */
    async debriefSession(input: SessionRef): Promise<void> {
      const debrief = debriefOf(await coachedTurns(input.ownerId, input.sessionId));
      await sessions.setDebrief(db, input, debrief);
    },

    async publishState(
      input: SessionRef & { status: SessionStatus; round: number; key: string },
    ): Promise<void> {
      await setStatus(input, input.status, input.round);
      const sink = new EventSink(events, input.sessionId, `${input.key}:state:${input.status}`);
      sink.emit({ type: 'state', status: input.status, round: input.round });
      await sink.close();
    },
  };
}
