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
import { probeFor, storyWithReply, toldIn } from '../../agents/probe.js';
import type { EndReason } from '../../agents/panel/director.js';
import { panelistById, type PanelTemplate } from '../../agents/panel/template.js';
import {
  panelOutcome,
  timeline,
  timeUsed,
  type PanelTurnRecord,
  type SpokenTurn,
} from '../../agents/panel/interview.js';
import { interruption, mayInterrupt, resultCheckOf } from '../../agents/panel/interrupt.js';
import { judgeFor } from '../../agents/judgement/index.js';
import { panelInterruptions, panelInterviews, panelQuestions } from '../../core/metrics.js';
import { panelMetricLabel } from '../../agents/panel/templates.js';
import type { PanelDebrief, PanelScorecard, SessionPanel } from '../../contract/index.js';

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

/** A panel's question: the director's choice of who asks about what, given the judged turns so far. */
type PanelAskInput = AskInput & { template: PanelTemplate; records: PanelTurnRecord[] };

export type PanelAsk =
  | {
      kind: 'ask';
      text: string;
      citations: Citation[];
      panelistId: string;
      competency: string;
      followUp: boolean;
      /** Whether the asking panelist may cut into this answer (agents/panel/interrupt.ts); absent before. */
      mayInterrupt?: boolean;
    }
  | { kind: 'end'; reason: EndReason };

/** An answer to a panel question, as far as it has gone: whether its panelist cuts in. */
type InterruptInput = SessionRef & {
  turnId: string;
  template: PanelTemplate;
  records: PanelTurnRecord[];
  panelistId: string;
  answer: string;
};

/** Why a panel interview ended: the director's reason, the candidate ended it, or the rounds cap was reached. */
export type PanelEndReason = NonNullable<SessionPanel['endReason']>;

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

  /** The spoken words of a panel session's turns, by turn id: what its clock counts (agents/panel/interview.ts). */
  async function spokenTurns(ref: SessionRef): Promise<Map<string, SpokenTurn>> {
    const rows = await turns.ofSession(db, ref.ownerId, ref.sessionId);
    return new Map(
      rows.map((r) => [
        r.id,
        {
          question: r.question,
          ...(r.panel?.handOver && { handOver: r.panel.handOver }),
          answer: r.answer ?? '',
          ...(r.feedback?.speech && { answerSec: r.feedback.speech.durationSec }),
        },
      ]),
    );
  }

  /** Whether the panelist asking may cut into the answer: a tough one allowed to, and never on a follow-up. */
  const interruptible = (template: PanelTemplate, panelistId: string, followUp: boolean) => ({
    mayInterrupt: !followUp && mayInterrupt(panelistById(template, panelistId)),
  });

  async function ask(
    input: AskInput,
    signal: AbortSignal,
    panel?: Omit<PanelAskInput, keyof AskInput>,
  ): Promise<PanelAsk> {
    const clock = panel && timeline(panel.records, await spokenTurns(input));
    const panelFields = (saved: NonNullable<turns.TurnRow['panel']>) => ({
      panelist: saved.panelist,
      ...(saved.handOver && { handOver: saved.handOver }),
      ...(panel && clock && { timeUsed: timeUsed(panel.template, clock.turns) }),
    });
    // A retry after the question was chosen and saved asks that same question (its client may have seen
    // it): choosing again could pick another, since recent questions and weak areas are read afresh.
    const chosen = await turns.savedQuestion(db, input.turnId);
    if (chosen) {
      const again = await openSink(input.sessionId, `${input.turnId}:ask`, signal);
      const { text, citations } = chosen;
      again.emit(
        {
          type: 'question',
          turnId: input.turnId,
          text,
          citations,
          ...(chosen.panel && panelFields(chosen.panel)),
        },
        'question',
      );
      await again.close();
      return chosen.panel
        ? {
            kind: 'ask',
            text,
            citations,
            panelistId: chosen.panel.panelist.id,
            competency: (await turns.competencyOf(db, input.turnId)) ?? '',
            followUp: chosen.panel.followUp,
            ...(panel && interruptible(panel.template, chosen.panel.panelist.id, chosen.panel.followUp)),
          }
        : { kind: 'ask', text, citations, panelistId: '', competency: '', followUp: false };
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
        ...(panel &&
          clock && { panel: { template: panel.template, turns: clock.turns, seed: input.sessionId } }),
      },
      coach,
      (e) => sink.emit(e),
      (tokens) => addTokens(db, input.ownerId, tokens),
      signal,
    );
    signal.throwIfAborted();
    if (state.direction?.kind === 'end') {
      await sink.close();
      return state.direction;
    }
    const direction = state.direction?.kind === 'ask' ? state.direction : undefined;
    const result = { text: state.question, citations: state.questionCitations };
    const said =
      panel && direction
        ? (() => {
            const p = panelistById(panel.template, direction.panelistId);
            return {
              panelist: { id: p.id, name: p.name, role: p.role },
              followUp: direction.followUp,
              ...(direction.handOver && { handOver: direction.handOver }),
            };
          })()
        : undefined;
    await saveQuestion(input, {
      turnId: input.turnId,
      round: input.round,
      question: result.text,
      citations: result.citations,
      competency: state.competency || null,
      ...(said && { panel: said }),
    });
    if (said) panelQuestions.inc({ role: said.panelist.role, follow_up: String(said.followUp) });
    sink.emit(
      {
        type: 'question',
        turnId: input.turnId,
        text: result.text,
        citations: result.citations,
        ...(said && panelFields(said)),
      },
      'question',
    );
    await sink.close();
    return {
      kind: 'ask',
      ...result,
      panelistId: said?.panelist.id ?? '',
      competency: state.competency,
      followUp: said?.followUp ?? false,
      ...(panel && said && interruptible(panel.template, said.panelist.id, said.followUp)),
    };
  }

  /**
   * The question of an earlier turn, asked as this session's first: the reviewed wording, with the earlier
   * turn's competency and citations so progress and the coach treat it as the same question.
   */
  async function askAgain(
    input: AskInput,
    practise: PractiseQuestion,
    signal: AbortSignal,
  ): Promise<PanelAsk> {
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
    return { kind: 'ask', ...result, panelistId: '', competency: '', followUp: false };
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
    // After a follow-up probe `answered` is the probe's turn, and its text ends `answer`: it is told in its
    // place in the story, for every node of the graph to read one story in order.
    const reply = input.answered.turnId === input.turnId ? '' : input.answered.text;
    const answer =
      reply && input.answer.endsWith(reply)
        ? await storyWithReply(
            judgeFor(coach.judgement),
            input.question,
            input.answer.slice(0, -reply.length).trim(),
            reply,
          )
        : input.answer;
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
        answer,
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
        ...(input.panel && { panel: { template: input.panel } }),
      });
    },

    async askQuestion(input: AskInput): Promise<{ text: string; citations: Citation[] }> {
      return withinAttempt(attemptSeconds, async (signal) => {
        const asked = await ask(input, signal);
        if (asked.kind !== 'ask') throw new Error('a session without a panel has no director to end it');
        return { text: asked.text, citations: asked.citations };
      });
    },

    /**
     * A mock panel's next question: the director picks who asks about what from the judged turns so far
     * (or ends the interview), and the question event names the panelist and carries the hand-over line.
     */
    async askPanelQuestion(input: PanelAskInput): Promise<PanelAsk> {
      const { template, records, ...rest } = input;
      return withinAttempt(attemptSeconds, (signal) => ask(rest, signal, { template, records }));
    },

    /**
     * A panel interview ended: each panelist's scorecard from the judged turns, then the debrief built from
     * the scorecards, streamed in that order and stored with the session.
     */
    async debriefPanel(
      input: SessionRef & { template: PanelTemplate; records: PanelTurnRecord[]; endReason: PanelEndReason },
    ): Promise<void> {
      const clock = timeline(input.records, await spokenTurns(input));
      const { scorecards, debrief } = panelOutcome(input.template, clock.judged);
      const sink = new EventSink(events, input.sessionId, 'panel');
      for (const scorecard of scorecards)
        sink.emit(
          { type: 'scorecard', scorecard: scorecard as PanelScorecard },
          `scorecard:${scorecard.panelistId}`,
        );
      const used = timeUsed(input.template, clock.turns);
      if (debrief)
        sink.emit(
          { type: 'panel_debrief', debrief: debrief satisfies PanelDebrief, timeUsed: used },
          'debrief',
        );
      await sink.close();
      await sessions.setPanel(db, input, {
        template: input.template,
        scorecards: scorecards as PanelScorecard[],
        ...(debrief && { debrief }),
        endReason: input.endReason,
        timeUsed: used,
      });
      panelInterviews.inc({
        template: panelMetricLabel(input.template.id),
        outcome: debrief ? debrief.decision.outcome : 'none',
      });
    },

    /**
     * Whether the panelist cuts into the answer so far (agents/panel/interrupt.ts): their cut-in, or null.
     * Reads only; the workflow acts on it (interruptAnswer) if the answer is still open when it returns.
     */
    async considerInterrupt(input: InterruptInput): Promise<{ text: string } | null> {
      const spoken = await spokenTurns(input);
      const said = spoken.get(input.turnId);
      const text = await interruption({
        panelist: panelistById(input.template, input.panelistId),
        followUp: false,
        turns: timeline(input.records, spoken).turns,
        question: `${said?.handOver ?? ''} ${said?.question ?? ''}`,
        answer: input.answer,
        seed: [input.sessionId, input.turnId],
        // The judge the coach scores with (swapped in place when the weights are reloaded).
        statesResult: resultCheckOf(judgeFor(coach.judgement), said?.question ?? ''),
      });
      return text ? { text } : null;
    },

    /**
     * A panelist cut in: the answer stands as it was when they did, the `interrupt` event tells clients (a
     * recording stops there), and the cut-in is asked as the panelist's follow-up, a turn of its own.
     */
    async interruptAnswer(
      input: SessionRef & {
        turnId: string;
        followUpTurnId: string;
        round: number;
        template: PanelTemplate;
        panelistId: string;
        answer: string;
        text: string;
      },
    ): Promise<void> {
      const p = panelistById(input.template, input.panelistId);
      const panelist = { id: p.id, name: p.name, role: p.role };
      await turns.setAnswer(db, input.turnId, input.answer);
      await saveQuestion(input, {
        turnId: input.followUpTurnId,
        round: input.round,
        question: input.text,
        citations: [],
        probeOf: input.turnId,
        competency: await turns.competencyOf(db, input.turnId),
        panel: { panelist, followUp: true, cutIn: true },
      });
      const sink = new EventSink(events, input.sessionId, `${input.turnId}:interrupt`);
      sink.emit(
        {
          type: 'interrupt',
          turnId: input.turnId,
          panelist,
          text: input.text,
          answer: input.answer,
          followUpTurnId: input.followUpTurnId,
        },
        'interrupt',
      );
      sink.emit(
        {
          type: 'question',
          turnId: input.followUpTurnId,
          text: input.text,
          citations: [],
          probeOf: input.turnId,
          round: input.round,
          panelist,
        },
        'question',
      );
      await sink.close();
      panelQuestions.inc({ role: p.role, follow_up: 'true' });
      panelInterruptions.inc({ role: p.role });
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
        /** The question answered (unset in sessions started before it was passed). */
        question?: string;
        answer: string;
        persona?: Persona;
      },
    ): Promise<{ text: string } | null> {
      const told = await toldIn(judgeFor(coach.judgement), input.question ?? '', input.answer);
      const text = probeFor(input.answer, input.persona ?? 'neutral', told);
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
