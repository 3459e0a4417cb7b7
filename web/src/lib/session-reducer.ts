// Pure session-event reducer: builds what the session screen shows from the snapshot
// (GET /api/sessions/:id) and the event stream. Functions mutate the view they are given,
// so the Svelte store can hand them its deeply reactive `$state` object; tests use plain objects.
import type {
  Citation,
  Feedback,
  Mode,
  PanelistRef,
  Session,
  SessionEvent,
  SessionPanel,
  SessionStatus,
  Turn,
} from './api';

export type CoachNode = 'critique' | 'rewrite' | 'drill';
export const COACH_NODES: readonly CoachNode[] = ['critique', 'rewrite', 'drill'];
/** Nodes whose tokens build the next question. */
const QUESTION_NODES = new Set(['select_question', 'question']);

export const NODE_LABELS: Record<string, string> = {
  select_question: 'Choosing a question…',
  retrieve: 'Retrieving passages…',
  assess: 'Assessing…',
  critique: 'Critiquing…',
  rewrite: 'Rewriting your answer…',
  drill: 'Choosing a drill…',
  score: 'Checking the scores…',
};

export function nodeLabel(node: string): string {
  return NODE_LABELS[node] ?? `${node}…`;
}

export interface TurnView {
  id: string;
  round: number;
  question: string;
  citations: Citation[];
  retryOf?: string;
  probeOf?: string;
  answer?: string;
  /** In a mock panel: who asked, and what the previous panelist said to hand over. */
  panelist?: PanelistRef;
  handOver?: string;
  /** In a mock panel: this follow-up is the panelist cutting into the answer of `probeOf`. */
  cutIn?: boolean;
  /** The transcript so far of an answer still being spoken (`partial` transcripts); gone once it is final. */
  liveAnswer?: string;
  feedback?: Feedback;
}

export interface ErrorItem {
  key: string;
  message: string;
  retryable: boolean;
}

export interface SessionView {
  id: string;
  jobId: string | null;
  module: string | null;
  difficulty: string | null;
  rounds: number | null;
  /** Voice or text, as chosen at setup (text answers are accepted in either). */
  mode: Mode | null;
  /** Hands-free: the server moves to the next round by itself after feedback. */
  autoAdvance: boolean;
  status: SessionStatus | null;
  round: number;
  turns: TurnView[];
  /** Highest event id applied; events with an id <= this are ignored. */
  lastEventId: number;
  /** Tokens of a question still being written (cleared by its `question` event). */
  draftQuestion: string;
  /** The graph node currently running, if any. */
  activeNode: string | null;
  /** Streamed critique / rewrite / drill text of the answer being coached. */
  streams: Record<CoachNode, string>;
  errors: ErrorItem[];
  /** The server sent its terminal `end` event. */
  ended: boolean;
  /** A mock panel session: its template, time used so far, and once it ends the scorecards and debrief. */
  panel: SessionPanel | null;
}

const emptyStreams = (): Record<CoachNode, string> => ({ critique: '', rewrite: '', drill: '' });

function turnFromSnapshot(t: Turn): TurnView {
  const view: TurnView = {
    id: t.id,
    round: t.round,
    question: t.question ?? '',
    citations: t.citations ?? [],
  };
  if (t.retryOf) view.retryOf = t.retryOf;
  if (t.probeOf) view.probeOf = t.probeOf;
  if (t.answer !== undefined && t.answer !== null) view.answer = t.answer;
  if (t.feedback) view.feedback = t.feedback;
  if (t.panelist) view.panelist = t.panelist;
  if (t.handOver) view.handOver = t.handOver;
  if (t.cutIn) view.cutIn = true;
  return view;
}

export function createView(snapshot?: Session): SessionView {
  return {
    id: snapshot?.id ?? '',
    jobId: snapshot?.jobId ?? null,
    module: snapshot?.module ?? null,
    difficulty: snapshot?.difficulty ?? null,
    rounds: snapshot?.rounds ?? null,
    mode: snapshot?.mode ?? null,
    autoAdvance: snapshot?.autoAdvance ?? false,
    status: snapshot?.status ?? null,
    round: snapshot?.round ?? 0,
    turns: (snapshot?.turns ?? []).map(turnFromSnapshot),
    lastEventId: 0,
    draftQuestion: '',
    activeNode: null,
    streams: emptyStreams(),
    errors: [],
    ended: false,
    panel: snapshot?.panel ?? null,
  };
}

export function findTurn(view: SessionView, turnId: string): TurnView | undefined {
  return view.turns.find((t) => t.id === turnId);
}

export function currentTurn(view: SessionView): TurnView | undefined {
  return view.turns[view.turns.length - 1];
}

function ensureTurn(view: SessionView, turnId: string): TurnView {
  const found = findTurn(view, turnId);
  if (found) return found;
  const prev = currentTurn(view);
  view.turns.push({
    id: turnId,
    round: Math.max(view.round, prev?.round ?? 1, 1),
    question: '',
    citations: [],
  });
  return view.turns[view.turns.length - 1]!;
}

/** Record the user's own answer (text mode: the server does not echo it as an event). */
export function setAnswer(view: SessionView, turnId: string, text: string): void {
  ensureTurn(view, turnId).answer = text;
}

/**
 * Apply one stream event. Returns false when it was ignored as a duplicate
 * (an id not above the last applied one).
 */
export function applyEvent(view: SessionView, event: SessionEvent, id?: number | null): boolean {
  if (typeof id === 'number' && Number.isFinite(id)) {
    if (id <= view.lastEventId) return false;
    view.lastEventId = id;
  }

  switch (event.type) {
    case 'node': {
      if (event.status === 'start') {
        view.activeNode = event.node;
        if (QUESTION_NODES.has(event.node)) view.draftQuestion = '';
        if ((COACH_NODES as readonly string[]).includes(event.node))
          view.streams[event.node as CoachNode] = '';
      } else if (view.activeNode === event.node) {
        view.activeNode = null;
      }
      break;
    }
    case 'token': {
      if (QUESTION_NODES.has(event.node)) view.draftQuestion += event.text;
      else if ((COACH_NODES as readonly string[]).includes(event.node))
        view.streams[event.node as CoachNode] += event.text;
      break;
    }
    case 'question': {
      const existing = findTurn(view, event.turnId);
      if (existing) {
        existing.question = event.text;
        if (event.citations?.length) existing.citations = event.citations;
      } else {
        const prev = currentTurn(view);
        // After a follow-up probe, the question asked again is the one the probe followed.
        const reviewed = prev?.probeOf ? (findTurn(view, prev.probeOf) ?? prev) : prev;
        let retryOf = event.retryOf;
        if (
          !retryOf &&
          !event.probeOf &&
          reviewed &&
          reviewed.question.trim() === event.text.trim() &&
          (view.status === 'reviewing' || reviewed.feedback !== undefined)
        ) {
          retryOf = reviewed.id;
        }
        const retried = retryOf ? (findTurn(view, retryOf) ?? prev) : undefined;
        const round =
          typeof event.round === 'number'
            ? event.round
            : retried
              ? retried.round
              : Math.max(view.round, (prev?.round ?? 0) + 1, 1);
        const turn: TurnView = {
          id: event.turnId,
          round,
          question: event.text,
          citations: event.citations ?? [],
        };
        if (retryOf) turn.retryOf = retryOf;
        if (event.probeOf) turn.probeOf = event.probeOf;
        view.turns.push(turn);
      }
      const asked = findTurn(view, event.turnId)!;
      if (event.panelist) asked.panelist = event.panelist;
      if (event.handOver) asked.handOver = event.handOver;
      if (event.timeUsed && view.panel) view.panel.timeUsed = event.timeUsed;
      // A question starts a fresh round of coaching output (also when replaying over a snapshot).
      view.streams = emptyStreams();
      view.draftQuestion = '';
      break;
    }
    case 'transcript': {
      const turn = ensureTurn(view, event.turnId);
      // A partial transcript is not the answer yet (the candidate is still speaking): shown, not answered.
      if (event.partial) turn.liveAnswer = event.text;
      else {
        turn.answer = event.text;
        delete turn.liveAnswer;
      }
      break;
    }
    case 'interrupt': {
      // The answer stands as it was when the panelist cut in; their cut-in is asked next (its question event).
      const cut = ensureTurn(view, event.turnId);
      cut.answer = event.answer;
      delete cut.liveAnswer;
      if (!findTurn(view, event.followUpTurnId))
        view.turns.push({
          id: event.followUpTurnId,
          round: cut.round,
          question: event.text,
          citations: [],
          probeOf: event.turnId,
          panelist: event.panelist,
        });
      findTurn(view, event.followUpTurnId)!.cutIn = true;
      break;
    }
    case 'feedback': {
      const { type: _type, turnId, ...feedback } = event;
      void _type;
      ensureTurn(view, turnId).feedback = { ...feedback, turnId };
      break;
    }
    case 'state': {
      view.status = event.status;
      if (typeof event.round === 'number') view.round = event.round;
      if (
        event.status === 'completed' ||
        event.status === 'reviewing' ||
        event.status === 'awaiting_answer'
      ) {
        view.activeNode = null;
      }
      // The question given back (nothing usable heard): what was shown of that attempt is gone.
      if (event.status === 'awaiting_answer') delete currentTurn(view)?.liveAnswer;
      break;
    }
    case 'scorecard': {
      if (!view.panel) break;
      const cards = (view.panel.scorecards ??= []);
      const at = cards.findIndex((c) => c.panelistId === event.scorecard.panelistId);
      if (at >= 0) cards[at] = event.scorecard;
      else cards.push(event.scorecard);
      break;
    }
    case 'panel_debrief': {
      if (view.panel) {
        view.panel.debrief = event.debrief;
        view.panel.timeUsed = event.timeUsed;
      }
      break;
    }
    case 'error': {
      view.errors.push({
        key: id != null ? `e${id}` : `e${view.errors.length}-${Date.now()}`,
        message: event.message,
        retryable: Boolean(event.retryable),
      });
      break;
    }
    default:
      // Unknown event types are ignored (the contract may grow).
      break;
  }
  return true;
}
