import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import * as sessions from '../../core/stores/sessions.js';
import * as turns from '../../core/stores/turns.js';
import type { AnswerInput, CreateSession } from '../../contract/index.js';
import { SENIORITIES, type Seniority, type Turn } from '../../core/types.js';
import {
  endSession,
  nextRound,
  retryQuestion,
  sessionWorkflowId,
  submitAnswer,
  type PractiseQuestion,
  type SessionInput,
} from '../../workflows/messages.js';
import { badRequest, conflict, HttpError, notFound } from '../errors.js';
import type { ApiDeps } from '../context.js';
import { createJobService } from './jobs.js';
import { sendUpdate } from './workflow-update.js';
import { createPanelService } from './panels.js';
import { panelInterviewsStarted } from '../../core/metrics.js';
import { panelMetricLabel } from '../../agents/panel/templates.js';
import type { PanelTemplate } from '../../agents/panel/template.js';
import { espeakOnThisMachine, panelVoices } from '../../voice/tts/voices.js';

export function createSessionService(deps: ApiDeps) {
  const { db, temporal, config } = deps;
  const jobService = createJobService(deps);
  const panels = createPanelService(deps);

  /**
   * The template with its voices as this server speaks them, decided once for the whole panel so that
   * panelists who differ stay apart (voice/tts/voices.ts): a template saved with espeak-ng voices is heard in
   * distinct Piper variants where espeak-ng is not installed. The browser then asks for those voices.
   */
  function voicedHere(template: PanelTemplate): PanelTemplate {
    const heard = panelVoices(
      template.panelists.map((p) => p.voice),
      { piper: config.TTS_PROVIDER === 'piper', espeak: espeakOnThisMachine() },
    );
    return { ...template, panelists: template.panelists.map((p, i) => ({ ...p, voice: heard[i]! })) };
  }

  async function row(ownerId: string, id: string) {
    const s = await sessions.ofOwner(db, ownerId, id);
    if (!s) throw notFound(`session ${id}`);
    return s;
  }

  /**
   * The id that makes a repeated answer to a turn one update. A turn whose answer was taken but could not be
   * coached (the coach did not answer) waits for it again: that sending is a new update, keyed by when the
   * turn was reopened, which stays the same until the workflow moves on, so its retries are still one.
   */
  async function answerUpdateId(session: sessions.SessionRow, turnId: string): Promise<string> {
    if (session.status !== 'awaiting_answer') return `answer:${turnId}`;
    const turn = await turns.inSession(db, session.id, turnId);
    const reopened = turn?.answer != null && turn.feedback == null;
    return reopened ? `answer:${turnId}:${session.updatedAt.getTime()}` : `answer:${turnId}`;
  }

  /** Sends a Temporal Update; a rejected one is a 409 with the workflow's reason (workflow-update.ts). */
  const update = <Ret>(sessionId: string, send: (handle: WorkflowHandle) => Promise<Ret>): Promise<Ret> =>
    sendUpdate(
      temporal,
      sessionWorkflowId(sessionId),
      {
        ended: 'the session has ended',
        timedOut: 'the coach did not respond in time; nothing was changed, try again',
      },
      send,
    );

  return {
    /**
     * `id` comes from an Idempotency-Key: a repeated create returns the session the first one made.
     * `practise`: the first question is that earlier turn's (a reviewed answer practised again).
     */
    async create(
      ownerId: string,
      input: CreateSession,
      id: string = randomUUID(),
      practise?: PractiseQuestion,
    ) {
      const job = await jobService.get(ownerId, input.jobId).catch(() => {
        throw badRequest(`job ${input.jobId} does not exist`);
      });
      if (job.status === 'deleting') throw conflict(`job ${job.id} is being deleted`);
      const { ingestion } = await jobService.view(job);
      if (ingestion.chunks === 0) {
        throw conflict(
          ingestion.status === 'failed'
            ? `none of the job's documents could be indexed (${ingestion.error ?? 'see its documents'})`
            : 'the job documents are still being indexed; start the session when ingestion is ready',
        );
      }
      // A panel runs on its template as it is now: a later edit of a user's template leaves this one alone.
      const panel = input.panel ? voicedHere(await panels.resolve(ownerId, input.panel)) : undefined;
      // Pitched at the job's level unless the candidate chose another.
      const difficulty =
        input.difficulty ?? (SENIORITIES.find((l) => l === job.seniority) as Seniority | undefined);
      const row = {
        id,
        ownerId,
        jobId: job.id,
        module: input.module,
        mode: input.mode,
        rounds: input.rounds,
        // A panel moves on by itself: its director, not the candidate, decides what comes next.
        autoAdvance: panel ? true : (input.autoAdvance ?? false),
        difficulty,
        persona: input.persona,
        ...(panel && { panel: { template: panel } }),
      };
      const sameRequest = (existing: sessions.SessionRow | undefined) => {
        if (
          !existing ||
          existing.jobId !== job.id ||
          existing.module !== input.module ||
          existing.panel?.template.id !== panel?.id
        )
          throw new HttpError(
            422,
            'Unprocessable Entity',
            'this Idempotency-Key was used for another request',
          );
      };
      const earlier = await sessions.ofOwner(db, ownerId, id);
      if (earlier) {
        sameRequest(earlier);
        // A session that has moved on has its workflow; only one still 'active' may have lost its start.
        if (earlier.status !== 'active') return { id };
      }
      // The workflow starts first and writes the session's row (its first activity); this request writes
      // the same row right after, so the answer can be read at once. A request killed before the start
      // leaves nothing; one killed after it leaves a session that runs.
      const { id: _id, panel: _panel, ...fields } = row;
      await temporal.workflow
        .start('interviewSession', {
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          workflowId: sessionWorkflowId(id),
          // The workflow's input is the row it writes, plus what only the workflow keeps.
          args: [
            {
              ...fields,
              sessionId: id,
              allowRepeats: input.allowRepeats ?? false,
              ...(practise && { practise }),
              ...(panel && { panel }),
            } satisfies SessionInput,
          ],
        })
        .catch((err: unknown) => {
          // The first attempt started it: the retry is done.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
      if (await sessions.create(db, row)) {
        if (panel) panelInterviewsStarted.inc({ template: panelMetricLabel(panel.id) });
      } else sameRequest(await sessions.ofOwner(db, ownerId, id));
      return { id };
    },

    async list(ownerId: string) {
      const rows = await sessions.listOf(db, ownerId);
      return rows.map(({ s, title, company }) => ({
        id: s.id,
        jobId: s.jobId,
        jobTitle: title,
        company,
        module: s.module,
        mode: s.mode,
        rounds: s.rounds,
        status: s.status,
        round: s.round,
        createdAt: s.createdAt.toISOString(),
        ...(s.panel && { panel: s.panel.template.title }),
      }));
    },

    row,

    /** Sends a Temporal Update to the session's workflow (a spoken answer, from the voice service). */
    send: update,

    async get(ownerId: string, id: string) {
      const s = await row(ownerId, id);
      const ts = await turns.ofSession(db, ownerId, id);
      return {
        id: s.id,
        jobId: s.jobId,
        module: s.module,
        mode: s.mode,
        rounds: s.rounds,
        status: s.status,
        round: s.round,
        ...(s.difficulty && { difficulty: s.difficulty }),
        persona: s.persona,
        autoAdvance: s.autoAdvance,
        ...(s.debrief && { debrief: s.debrief }),
        ...(s.panel && { panel: s.panel }),
        turns: ts.map((t): Turn & { citations: unknown[] } => ({
          id: t.id,
          round: t.round,
          question: t.question,
          citations: t.questionCitations,
          ...(t.retryOf && { retryOf: t.retryOf }),
          ...(t.probeOf && { probeOf: t.probeOf }),
          ...(t.competency && { competency: t.competency }),
          ...(t.panel && { panelist: t.panel.panelist }),
          ...(t.panel?.handOver && { handOver: t.panel.handOver }),
          ...(t.panel?.cutIn && { cutIn: true }),
          ...(t.answer && { answer: t.answer }),
          ...(t.feedback && { feedback: t.feedback }),
          // A spoken answer's recording, while kept (GET /api/sessions/:id/turns/:turnId/audio plays it).
          ...(t.audioKey && {
            audio: { bytes: t.audioBytes ?? 0, recordedAt: t.audioRecordedAt?.toISOString() ?? null },
          }),
        })),
      };
    },

    async answer(ownerId: string, id: string, input: AnswerInput) {
      const s = await row(ownerId, id);
      if (s.status === 'completed') throw conflict('the session has ended');
      // Keyed by the turn: a client retrying after a lost reply (the API or Temporal restarted) gets the
      // first attempt's outcome from Temporal instead of a 409 for an answer that was in fact accepted.
      return update(id, async (h) =>
        h.executeUpdate(submitAnswer, {
          args: [input],
          ...(input.turnId && { updateId: await answerUpdateId(s, input.turnId) }),
        }),
      );
    },

    async retry(ownerId: string, id: string) {
      await row(ownerId, id);
      return update(id, (h) => h.executeUpdate(retryQuestion));
    },

    async next(ownerId: string, id: string) {
      await row(ownerId, id);
      return update(id, (h) => h.executeUpdate(nextRound));
    },

    async end(ownerId: string, id: string) {
      const s = await row(ownerId, id);
      if (s.status === 'completed') throw conflict('the session has already ended');
      return update(id, (h) => h.executeUpdate(endSession));
    },
  };
}
