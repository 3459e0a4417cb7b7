// The interview session: deterministic code only. Waits durably for answers; all I/O is in activities.
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createSessionActivities } from './activities/session.js';
import type { createVoiceActivities } from './activities/voice.js';
import { finalGroups, groupPieces } from '../voice/pieces.js';
import {
  audioSegment,
  endSession,
  nextRound,
  retryQuestion,
  sessionState,
  STATUS_OF_PHASE,
  submitAnswer,
  type AudioRef,
  type SessionInput,
  type SessionPhase,
  type SessionSnapshot,
  type TurnState,
  type UpdateRejection,
  COACH_ATTEMPTS,
} from './messages.js';

type SessionActivities = ReturnType<typeof createSessionActivities>;

// Activities heartbeat on a timer while they work (activities/attempt.ts), so a worker that died is noticed
// within the heartbeat timeout however long a model call takes. Each attempt ends itself after the
// worker's COACH_ATTEMPT_SECONDS; the start-to-close timeout is only the backstop above that.
const timeouts = { startToCloseTimeout: '30 minutes', heartbeatTimeout: '10 seconds' } as const;

const {
  askQuestion,
  askPanelQuestion,
  askProbe,
  considerInterrupt,
  interruptAnswer,
  createSession,
  debriefSession,
  debriefPanel,
  repeatQuestion,
  publishState,
  coachingFailed,
} = proxyActivities<SessionActivities>({
  ...timeouts,
  // No attempt limit: a session waits out an outage of the model, Chroma or the database rather than
  // failing; the activity tells the user it is retrying.
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// Coaching is bounded: the candidate waits on it, and after a few failed attempts is better told so (and
// can send the answer again) than left in `coaching`.
const { coachAnswer } = proxyActivities<SessionActivities>({
  ...timeouts,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: COACH_ATTEMPTS },
});

// Transcription gets a few attempts, not an open-ended wait: an engine that fails on one recording
// will fail on it again, so after these the candidate is asked to answer once more.
const { transcribeAnswer, reopenAnswer } = proxyActivities<ReturnType<typeof createVoiceActivities>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

// A segment's transcript only feeds the live transcript: if it fails, the final transcription tries again.
const { transcribeSegment, transcribeFinalGroup, discardSegments } = proxyActivities<
  ReturnType<typeof createVoiceActivities>
>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3 },
});

const DEFAULT_HISTORY_LIMIT = 4000;

/** An answer being streamed: its segments as they arrive, and the transcripts of those done, in order. */
interface AnswerStream {
  turnId: string;
  segments: Map<number, { audio: AudioRef; digest?: string }>;
  /** The first segment not yet transcribed for good, and how many from it were heard as an open group. */
  next: number;
  heardOpen: number;
  /** The same for the final transcript's groups (voice/pieces.ts finalGroups). */
  finalNext: number;
  heardFinalOpen: number;
  texts: string[];
  transcribing: boolean;
}

export async function interviewSession(input: SessionInput): Promise<SessionSnapshot> {
  const s: SessionSnapshot = input.resume ?? { phase: 'ask', round: 1, turns: [] };
  let ended = false;
  const current = (): TurnState | undefined => s.turns.at(-1);

  setHandler(sessionState, () => ({ ...s, status: STATUS_OF_PHASE[s.phase] }));

  // The turn whose question is being asked or awaits its answer. A client may answer as soon as the
  // question event arrives, a moment before the workflow has recorded the question: the handler waits.
  let openTurnId: string | undefined =
    s.phase === 'await' || s.phase === 'repeat' ? current()?.id : undefined;

  setHandler(
    submitAnswer,
    async (answer) => {
      const target = openTurnId;
      await condition(() => s.phase === 'await' || ended);
      if (ended) throw rejection('SessionEnded', 'the session has ended');
      const turn = current()!;
      if (turn.id !== target)
        throw rejection(
          'QuestionChanged',
          'the question changed before the answer arrived; answer the new one',
        );
      if (answer.audio) {
        turn.audio = answer.audio;
        if (answer.segments?.length) turn.segments = answer.segments;
        s.phase = 'transcribe';
      } else {
        turn.answer = answer.text.trim();
        s.phase = 'coach';
      }
      openTurnId = undefined;
      return { turnId: turn.id };
    },
    {
      validator: ({ text, audio, segments, turnId }) => {
        if (!openTurnId || ended)
          throw rejection(
            'NotAwaitingAnswer',
            `the session is ${STATUS_OF_PHASE[s.phase]}, not awaiting an answer`,
          );
        if (audio) {
          if (typeof audio.key !== 'string' || !audio.key)
            throw rejection('InvalidAnswer', 'the recording is missing');
          if (segments !== undefined && (!Array.isArray(segments) || segments.some((g) => !g?.key)))
            throw rejection('InvalidAnswer', 'a segment of the recording is missing');
        } else if (typeof text !== 'string' || !text.trim())
          throw rejection('InvalidAnswer', 'the answer is empty');
        if (turnId && turnId !== openTurnId)
          throw rejection('QuestionChanged', `turn ${turnId} is not the question being asked`);
      },
    },
  );

  setHandler(
    retryQuestion,
    () => {
      // After a follow-up, the question to ask again is the one the follow-up probed.
      const last = current()!;
      const reviewed = last.probeOf ? s.turns.find((t) => t.id === last.probeOf)! : last;
      const turn: TurnState = {
        id: uuid4(),
        round: reviewed.round,
        question: reviewed.question,
        citations: reviewed.citations,
        retryOf: reviewed.id,
        coached: false,
      };
      s.turns.push(turn);
      s.phase = 'repeat';
      openTurnId = turn.id;
      return { turnId: turn.id };
    },
    { validator: () => requireReviewing(s) },
  );

  setHandler(
    nextRound,
    () => {
      s.round += 1;
      s.phase = 'ask';
      return { round: s.round };
    },
    { validator: () => requireReviewing(s) },
  );

  setHandler(
    endSession,
    () => {
      ended = true;
      return { round: s.round };
    },
    {
      validator: () => {
        if (s.phase === 'done' || ended) throw rejection('SessionEnded', 'the session has already ended');
      },
    },
  );

  const base = {
    sessionId: input.sessionId,
    ownerId: input.ownerId,
    jobId: input.jobId,
    module: input.module,
  };

  // The answer being spoken, segment by segment: each is transcribed as it comes (in order, one at a time:
  // the recogniser has the machine's cores to itself), so when the answer ends only its last part is left.
  let stream: AnswerStream | undefined;
  /** Every segment received for the open turn (all attempts), to delete once the answer no longer needs them. */
  let received: { turnId: string; segments: { key: string; digest?: string }[] } | undefined;

  setHandler(audioSegment, ({ turnId, index, audio, digest }) => {
    // A segment for a turn no longer open (sent again after the answer was finished) has nothing to add.
    if (ended || turnId !== openTurnId) return;
    const known = stream?.turnId === turnId ? stream.segments.get(index) : undefined;
    // The same index with other audio: the candidate cancelled and started the answer over.
    const restarted = known !== undefined && known.digest !== digest;
    if (stream?.turnId !== turnId || restarted)
      stream = {
        turnId,
        segments: new Map(),
        next: 0,
        heardOpen: 0,
        finalNext: 0,
        heardFinalOpen: 0,
        texts: [],
        transcribing: false,
      };
    if (!stream.segments.has(index)) stream.segments.set(index, { audio, digest });
    if (received?.turnId !== turnId) received = { turnId, segments: [] };
    if (!received.segments.some((g) => g.key === audio.key && g.digest === digest))
      received.segments.push({ key: audio.key, digest });
    if (!stream.transcribing) void transcribeStream(stream);
  });

  /** The segments arrived without a gap from `from` on. */
  function arrivedFrom(st: AnswerStream, from: number): AudioRef[] {
    const arrived: AudioRef[] = [];
    for (let i = from; st.segments.has(i); i++) arrived.push(st.segments.get(i)!.audio);
    return arrived;
  }

  /**
   * The segments to transcribe next, from `st.next`: a group of them (voice/pieces.ts), `closed` when it
   * holds enough audio to be final. A short group still open at the end of what arrived is transcribed too
   * (for the live transcript, and because it is the final transcript's last group if the answer ends
   * here: the end of speech must not wait for it), and again if later segments join it. Histories from
   * before groups (no marker) replay one segment at a time.
   */
  function nextGroup(st: AnswerStream): { group: AudioRef[]; closed: boolean } {
    const arrived = arrivedFrom(st, st.next);
    if (!arrived.length) return { group: [], closed: false };
    if (!patched('segment-groups')) return { group: arrived.slice(0, 1), closed: true };
    const first = groupPieces(arrived, { final: false })[0];
    return first ? { group: first.map((i) => arrived[i]!), closed: true } : { group: arrived, closed: false };
  }

  /**
   * The next group of the final transcript to hear (voice/pieces.ts finalGroups), `closed` when it will not
   * grow. One that is a single live group was heard by the live transcript already (the same transcript):
   * it is passed over. The group still open is heard too, once per length it reaches: it is the final
   * transcript's last if the answer ends here, so the end of speech need not wait for it. Histories from
   * before final groups (no marker) leave them all to the final transcription.
   */
  function nextFinalGroup(st: AnswerStream): { group: AudioRef[]; closed: boolean } | undefined {
    const arrived = arrivedFrom(st, 0);
    const refs = (pieces: number[]) => pieces.map((i) => arrived[i]!);
    for (const group of finalGroups(arrived, { final: false })) {
      if (group.pieces[0]! < st.finalNext) continue;
      if (group.live.length > 1 && patched('final-groups'))
        return { group: refs(group.pieces), closed: true };
      st.finalNext = group.pieces.at(-1)! + 1;
      st.heardFinalOpen = 0;
    }
    const open = finalGroups(arrived, { final: true }).at(-1);
    if (!open || open.pieces[0]! < st.finalNext || open.live.length < 2) return undefined;
    if (st.heardFinalOpen === open.pieces.length || !patched('final-groups')) return undefined;
    return { group: refs(open.pieces), closed: false };
  }

  /**
   * Transcribes the stream's next segments while the answer goes on: first the live transcript's groups
   * (it must keep up with the speaker), then, when those are done, the final transcript's longer groups
   * (the final transcription does the rest).
   */
  async function transcribeStream(st: AnswerStream): Promise<void> {
    st.transcribing = true;
    try {
      for (;;) {
        if (stream !== st || openTurnId !== st.turnId || ended) break;
        const { group, closed } = nextGroup(st);
        // An open group is heard once per length it reaches.
        if (!group.length || (!closed && st.heardOpen === group.length)) {
          const next = nextFinalGroup(st);
          if (!next) break;
          await keepTranscriptKey(st, () => transcribeFinalGroup({ segments: next.group }));
          if (next.closed) {
            st.finalNext += next.group.length;
            st.heardFinalOpen = 0;
          } else st.heardFinalOpen = next.group.length;
          continue;
        }
        let text = '';
        await keepTranscriptKey(st, async () => {
          const heard = await transcribeSegment({
            ...base,
            turnId: st.turnId,
            index: st.next,
            audio: group[0]!,
            ...(group.length > 1 && { segments: group }),
            before: st.texts.filter(Boolean).join(' '),
          });
          text = heard.text;
          // A single segment's transcript is deleted with it (by its digest).
          return group.length > 1 ? heard : {};
        });
        if (closed) {
          st.texts.push(text);
          st.next += group.length;
          st.heardOpen = 0;
        } else st.heardOpen = group.length;
        if (text) await cutInWhileSpoken(st, closed ? '' : text);
      }
    } finally {
      st.transcribing = false;
    }
  }

  /**
   * Runs a transcription of the stream's audio; a group's transcript, kept under a key of its own, is
   * deleted with the segments it came from. A failure is left to the final transcription, which tries again.
   */
  async function keepTranscriptKey(
    st: AnswerStream,
    transcribe: () => Promise<{ transcriptKey?: string }>,
  ): Promise<void> {
    try {
      const { transcriptKey } = await transcribe();
      if (transcriptKey && received?.turnId === st.turnId) received.segments.push({ key: transcriptKey });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  }

  /**
   * A panelist who may cut in considers the answer so far after each transcribed segment. If they cut in
   * and the answer is still open when they decide (the candidate did not finish meanwhile: their answer
   * wins), it ends there, the segments go, and the cut-in is asked.
   */
  async function cutInWhileSpoken(st: AnswerStream, open: string): Promise<void> {
    const turn = current()!;
    if (!input.panel || turn.id !== st.turnId || !turn.panel?.mayInterrupt || turn.probed) return;
    // The words of a group still open count too: they were heard, and are what the panelist reacts to.
    const answer = [...st.texts, open].filter(Boolean).join(' ');
    const cut = await considerInterrupt({
      ...base,
      turnId: turn.id,
      template: input.panel,
      records: panelRecords(s),
      panelistId: turn.panel.panelistId,
      answer,
    });
    if (!cut || ended || stream !== st || openTurnId !== turn.id || s.phase !== 'await') return;
    turn.answer = answer;
    stream = undefined;
    // Taken now: segments of the follow-up's answer may arrive while the cut-in is asked.
    const cutSegments = received;
    await cutIn(turn, cut.text);
    await discardReceived(cutSegments);
  }

  /**
   * The panelist cuts in: the answer stands as it is, and the cut-in is asked at once as their follow-up
   * (coached together with the answer it cut, as a probe is). Counted against their time like any question.
   */
  async function cutIn(turn: TurnState, text: string): Promise<void> {
    const panel = turn.panel!;
    turn.probed = true;
    const followUpId = uuid4();
    s.turns.push({
      id: followUpId,
      round: turn.round,
      question: text,
      citations: [],
      probeOf: turn.id,
      coached: false,
      panel: { panelistId: panel.panelistId, competency: panel.competency, followUp: true },
    });
    openTurnId = followUpId;
    await interruptAnswer({
      ...base,
      turnId: turn.id,
      followUpTurnId: followUpId,
      round: turn.round,
      template: input.panel!,
      panelistId: panel.panelistId,
      answer: turn.answer!,
      text,
    });
    await moveTo('await', followUpId);
  }

  /**
   * Deletes the segments received for a turn once its answer no longer needs them (transcribed, typed
   * instead, or the session over): a cancelled or abandoned attempt leaves no audio behind.
   */
  async function discardReceived(taken = received): Promise<void> {
    if (!taken?.segments.length) return;
    if (taken === received) received = undefined;
    await discardSegments({ segments: taken.segments });
  }

  /** Moves the loop on (unless the session ended meanwhile), then tells clients. */
  async function moveTo(phase: 'await' | 'review' | 'done', key: string) {
    if (ended && phase !== 'done') return;
    s.phase = phase;
    await publishState({ ...base, status: STATUS_OF_PHASE[phase], round: s.round, key });
  }

  // Started before its row was written (POST /api/sessions): the row is the workflow's to write first.
  if (input.mode && !input.resume) await createSession({ ...base, ...input, mode: input.mode });

  while (!ended && s.phase !== 'done') {
    if (s.phase === 'ask') {
      if (s.round > input.rounds) break;
      if (shouldContinueAsNew(input)) {
        await condition(allHandlersFinished);
        return continueAsNew<typeof interviewSession>({ ...input, resume: s });
      }
      const turnId = uuid4();
      openTurnId = turnId;
      const asked = [...new Set(s.turns.map((t) => t.question))];
      if (input.panel) {
        // A panel's director picks who asks about what from the judged turns, or ends the interview.
        const q = await askPanelQuestion({
          ...base,
          turnId,
          round: s.round,
          asked,
          difficulty: input.difficulty,
          allowRepeats: input.allowRepeats ?? false,
          template: input.panel,
          records: panelRecords(s),
        });
        if (q.kind === 'end') {
          // No question was asked in this round: the interview ended on the one before.
          openTurnId = undefined;
          s.panelEnd = q.reason;
          s.round = Math.max(1, s.round - 1);
          break;
        }
        const { panelistId, competency, followUp, mayInterrupt } = q;
        s.turns.push({
          id: turnId,
          round: s.round,
          question: q.text,
          citations: q.citations,
          coached: false,
          panel: { panelistId, competency, followUp, ...(mayInterrupt && { mayInterrupt }) },
        });
        await moveTo('await', turnId);
        continue;
      }
      const q = await askQuestion({
        ...base,
        turnId,
        round: s.round,
        asked,
        difficulty: input.difficulty,
        allowRepeats: input.allowRepeats ?? false,
        persona: input.persona ?? 'neutral',
        ...(input.practise && !s.turns.length && { practise: input.practise }),
      });
      s.turns.push({ id: turnId, round: s.round, question: q.text, citations: q.citations, coached: false });
      await moveTo('await', turnId);
    } else if (s.phase === 'repeat') {
      const turn = current()!;
      await repeatQuestion({
        ...base,
        turnId: turn.id,
        round: turn.round,
        retryOf: turn.retryOf!,
        question: turn.question,
        citations: turn.citations,
      });
      await moveTo('await', turn.id);
    } else if (s.phase === 'await') {
      await condition(() => s.phase !== 'await' || ended);
      // Answered by typing (or the session ended) after speaking part of an answer.
      if ((s.phase as SessionPhase) !== 'transcribe') await discardReceived();
    } else if (s.phase === 'transcribe') {
      const turn = current()!;
      const audio = turn.audio!;
      const segments = turn.segments;
      // A segment being transcribed for the live transcript finishes first; the final transcript reuses it.
      if (stream?.transcribing) await condition(() => !stream?.transcribing);
      stream = undefined;
      let problem: 'no_speech' | 'failed' | undefined;
      try {
        const heard = await transcribeAnswer({
          ...base,
          turnId: turn.id,
          round: turn.round,
          audio,
          ...(segments && { segments }),
        });
        if (heard.text) {
          turn.answer = heard.text;
          turn.speech = heard.speech;
        } else problem = 'no_speech';
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        problem = 'failed';
      }
      turn.audio = undefined;
      turn.segments = undefined;
      await discardReceived();
      if (!problem) {
        s.phase = 'coach';
      } else if (!ended) {
        // Nothing usable was heard: the same question waits for another answer (spoken or typed).
        s.phase = 'await';
        openTurnId = turn.id;
        await reopenAnswer({ ...base, turnId: turn.id, round: s.round, audioKey: audio.key, problem });
      }
    } else if (s.phase === 'coach') {
      const turn = current()!;
      // A typed answer (or a spoken one finished before a cut-in) meets the same rule once it is in.
      if (input.panel && turn.panel?.mayInterrupt && !turn.probed) {
        turn.probed = true;
        const cut = await considerInterrupt({
          ...base,
          turnId: turn.id,
          template: input.panel,
          records: panelRecords(s),
          panelistId: turn.panel.panelistId,
          answer: turn.answer!,
        });
        // Ended meanwhile: the answer is coached as it is, like any last answer.
        if (cut && !ended) {
          await cutIn(turn, cut.text);
          continue;
        }
      }
      // A panelist follows up a vague answer after it is judged (their director's choice), not before.
      if (!input.panel && !turn.probeOf && !turn.probed) {
        turn.probed = true;
        const probeId = uuid4();
        openTurnId = probeId;
        const probe = await askProbe({
          ...base,
          turnId: probeId,
          probeOf: turn.id,
          round: turn.round,
          question: turn.question,
          answer: turn.answer!,
          persona: input.persona ?? 'neutral',
        });
        if (probe) {
          s.turns.push({
            id: probeId,
            round: turn.round,
            question: probe.text,
            citations: [],
            probeOf: turn.id,
            coached: false,
          });
          await moveTo('await', probeId);
          continue;
        }
        openTurnId = undefined;
      }
      // A follow-up's answer is coached together with the answer it followed, on the question asked.
      const asked = turn.probeOf ? s.turns.find((t) => t.id === turn.probeOf)! : turn;
      // How the answer sounded: the latest spoken answer of the two, when either was spoken.
      const speech = turn.speech ?? asked.speech;
      try {
        const coached = await coachAnswer({
          ...base,
          turnId: asked.id,
          round: turn.round,
          question: asked.question,
          answer: asked === turn ? turn.answer! : `${asked.answer!}\n\n${turn.answer!}`,
          answered: { turnId: turn.id, text: turn.answer! },
          ...(speech && { speech }),
          ...(turn.coachFailures && { failedBefore: turn.coachFailures }),
        });
        // Both turns of a cut-in thread are judged on the answers together, and both count on the clock.
        for (const t of new Set([asked, turn])) if (t.panel) t.panel.scores = coached.scores;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        // Every attempt failed: the same question waits for the answer again, which the turn keeps.
        turn.coachFailures = (turn.coachFailures ?? 0) + 1;
        if (ended) break;
        s.phase = 'await';
        openTurnId = turn.id;
        await coachingFailed({ ...base, turnId: turn.id, round: s.round, key: String(turn.coachFailures) });
        continue;
      }
      asked.coached = true;
      turn.coached = true;
      if (ended) break;
      if (input.autoAdvance) {
        s.round += 1;
        s.phase = 'ask';
      } else {
        await moveTo('review', turn.id);
      }
    } else if (s.phase === 'review') {
      await condition(() => s.phase !== 'review' || ended);
    }
  }

  s.round = Math.min(s.round, input.rounds);
  await discardReceived();
  await debriefSession(base);
  if (input.panel)
    await debriefPanel({
      ...base,
      template: input.panel,
      records: panelRecords(s),
      endReason: s.panelEnd ?? (ended ? 'ended' : 'rounds_used'),
    });
  await moveTo('done', 'session');
  await condition(allHandlersFinished);
  return s;
}

/** The panel turns judged so far, in the order asked: what the director and the scorecards read. */
function panelRecords(s: SessionSnapshot) {
  return s.turns.flatMap((t) =>
    t.panel?.scores
      ? [
          {
            turnId: t.id,
            panelistId: t.panel.panelistId,
            competency: t.panel.competency,
            followUp: t.panel.followUp,
            scores: t.panel.scores,
          },
        ]
      : [],
  );
}

function requireReviewing(s: SessionSnapshot): void {
  if (s.phase !== 'review')
    throw rejection('NotReviewing', `the session is ${STATUS_OF_PHASE[s.phase]}, not reviewing feedback`);
}

/**
 * Every refusal of an update is an ApplicationFailure: a plain Error thrown by an update handler (after
 * an `await`) fails the workflow task instead of rejecting the update, and the replay throws it again,
 * so the session would hang with both requests unanswered.
 */
function rejection(type: UpdateRejection, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

function shouldContinueAsNew(input: SessionInput): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > (input.historyLimit ?? DEFAULT_HISTORY_LIMIT);
}
