// The voice session's rules, with the session store fed events by hand, a fake microphone (levels set
// by the test) and fake speech clips; the browser parts are covered by tests/browser/voice.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, SessionEvent } from '../api';
import { createView } from '../session-reducer';
import { SessionStore } from '../session.svelte';
import type { MicInput } from './microphone';
import type { SpeechModel } from './silero';
import type { Clip } from './speech-queue';
import { VoiceSession } from './voice.svelte';

const LOUD = 0.1;
const QUIET = 0.0001;

interface Harness {
  store: SessionStore;
  voice: VoiceSession;
  /** Sentences whose clip was created (fetched), in order. */
  fetched: string[];
  stopped: string[];
  /** Finishes the clip playing now. */
  endClip(): Promise<void>;
  mic: { level: number; opened: number; recordings: number; closed: number };
  uploads: { turnId: string | null; size: number }[];
  emit(...events: SessionEvent[]): void;
  /** The microphone sends one 32 ms frame (at the current level, or `value`) to the speech detector. */
  frame(value?: number): Promise<void>;
}

const flush = () => vi.advanceTimersByTimeAsync(0);

function harness(
  session: Partial<Session> = {},
  opts: {
    micError?: Error;
    upload?: () => Response;
    /** A fake speech model: the microphone then sends frames (each `Harness.frame()` call) to it. */
    speechModel?: () => Promise<SpeechModel>;
  } = {},
): Harness {
  const store = new SessionStore('s1');
  store.view = createView({
    id: 's1',
    jobId: 'j1',
    module: 'behavioral',
    rounds: 3,
    persona: 'neutral',
    autoAdvance: false,
    status: 'active',
    round: 1,
    turns: [],
    mode: 'voice',
    ...session,
  });
  store.loading = false;
  const fetched: string[] = [];
  const stopped: string[] = [];
  const playing: (() => void)[] = [];
  const mic = { level: QUIET, opened: 0, recordings: 0, closed: 0 };
  const listeners = new Set<(frame: Float32Array) => void>();
  const uploads: Harness['uploads'] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      const form = init.body as FormData;
      const file = form.get('file') as Blob;
      uploads.push({ turnId: form.get('turnId') as string | null, size: file.size });
      return (
        opts.upload?.() ??
        new Response(JSON.stringify({ turnId: String(form.get('turnId')) }), {
          status: 202,
          headers: { 'content-type': 'application/json' },
        })
      );
    }),
  );
  const voice = new VoiceSession(store, {
    makeClip: (text): Clip => {
      fetched.push(text);
      let done: (() => void) | null = null;
      return {
        play: () => new Promise<void>((r) => playing.push((done = r))),
        stop: () => {
          stopped.push(text);
          done?.();
        },
      };
    },
    openMic: async (): Promise<MicInput> => {
      if (opts.micError) throw opts.micError;
      mic.opened++;
      return {
        level: () => mic.level,
        wake: () => {},
        suspended: false,
        record: () => {
          mic.recordings++;
          return { stop: async () => new Blob([new Uint8Array(4000)], { type: 'audio/webm' }) };
        },
        close: () => void mic.closed++,
        ...(opts.speechModel && {
          listen: (onFrame: (frame: Float32Array) => void) => {
            listeners.add(onFrame);
            return () => listeners.delete(onFrame);
          },
        }),
      };
    },
    ...(opts.speechModel && { loadSpeechModel: opts.speechModel }),
  });
  return {
    store,
    voice,
    fetched,
    stopped,
    mic,
    uploads,
    endClip: async () => {
      playing.shift()?.();
      await flush();
    },
    emit: (...events) => {
      for (const e of events) store.apply(e);
    },
    frame: async (value = mic.level) => {
      for (const l of listeners) l(new Float32Array(512).fill(value));
      await flush();
    },
  };
}

const tok = (text: string): SessionEvent => ({ type: 'token', node: 'select_question', text });
const QUESTION = 'Tell me about a migration you led. What changed because of it?';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the coach speaking', () => {
  it('speaks the question sentence by sentence while it streams, the rest when it is complete', async () => {
    const h = harness();
    h.emit({ type: 'node', node: 'select_question', status: 'start' }, tok('Tell me about a migration '));
    expect(h.fetched).toEqual([]);
    h.emit(tok('you led. What changed '));
    expect(h.fetched).toEqual(['Tell me about a migration you led.']);
    expect(h.voice.speaking).toBe(true);
    h.emit(tok('because of it?'), { type: 'question', turnId: 't1', text: QUESTION, citations: [] });
    expect(h.fetched).toEqual(['Tell me about a migration you led.', 'What changed because of it?']);
    await h.endClip();
    await h.endClip();
    expect(h.voice.speaking).toBe(false);
    expect(h.voice.spoken).toEqual(['Tell me about a migration you led.', 'What changed because of it?']);
  });

  it('does not speak the history replayed when a session is reopened, only what comes after', () => {
    const h = harness({
      status: 'coaching',
      turns: [{ id: 't1', round: 1, question: QUESTION, answer: 'I did.', feedback: undefined }],
    });
    h.emit(tok(QUESTION), { type: 'question', turnId: 't1', text: QUESTION, citations: [] });
    expect(h.fetched).toEqual([]);
    h.emit(
      { type: 'node', node: 'critique', status: 'start' },
      { type: 'token', node: 'critique', text: 'Good start. ' },
    );
    expect(h.fetched).toEqual(['Good start.']);
  });

  it('a text session stays silent', () => {
    const h = harness({ mode: 'text' });
    h.emit(tok('Hello there. '), { type: 'question', turnId: 't1', text: 'Hello there.', citations: [] });
    expect(h.fetched).toEqual([]);
  });
});

describe('recording an answer', () => {
  it('records, ends after the configured silence, uploads for the turn, then waits for the transcript', async () => {
    const h = harness();
    h.voice.setSilenceMs(1000);
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    await h.voice.startRecording();
    expect(h.voice.phase).toBe('recording');
    expect(h.mic.recordings).toBe(1);
    await vi.advanceTimersByTimeAsync(500); // silence before speaking does not end it
    expect(h.voice.vad).toBe('waiting');
    h.mic.level = LOUD;
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.voice.vad).toBe('speaking');
    expect(h.voice.level).toBeGreaterThan(0.5);
    h.mic.level = QUIET;
    await vi.advanceTimersByTimeAsync(800);
    expect(h.voice.phase).toBe('recording');
    await vi.advanceTimersByTimeAsync(400);
    expect(h.voice.phase).toBe('transcribing');
    expect(h.uploads).toEqual([{ turnId: 't1', size: 4000 }]);
    expect(h.mic.closed).toBeGreaterThanOrEqual(1); // the microphone is released after the answer
    h.emit({ type: 'transcript', turnId: 't1', text: 'Because.' });
    expect(h.voice.phase).toBe('idle');
    expect(h.store.view.turns[0]!.answer).toBe('Because.');
  });

  it('a refused recording says why and leaves the question open for another try', async () => {
    const h = harness(
      {},
      {
        upload: () =>
          new Response(
            JSON.stringify({ title: 'Unprocessable', status: 422, detail: 'We heard no speech.' }),
            {
              status: 422,
              headers: { 'content-type': 'application/problem+json' },
            },
          ),
      },
    );
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    await h.voice.startRecording();
    await h.voice.finishRecording();
    expect(h.voice.uploadError).toBe('We heard no speech.');
    expect(h.voice.phase).toBe('idle');
    expect(h.voice.canRecord).toBe(true);
  });

  it('hands-free: starts recording by itself once the question has been spoken, once per question', async () => {
    const h = harness({ autoAdvance: true });
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    h.voice.autoStart();
    await flush();
    expect(h.mic.recordings).toBe(0); // still speaking
    await h.endClip();
    h.voice.autoStart();
    await flush();
    expect(h.voice.phase).toBe('recording');
    h.voice.cancelRecording();
    h.voice.autoStart();
    await flush();
    expect(h.mic.recordings).toBe(1);
  });

  it('when the server gives the question back (no speech heard), says so and lets the candidate answer again', async () => {
    const h = harness();
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    await h.voice.startRecording();
    await h.voice.finishRecording();
    expect(h.voice.phase).toBe('transcribing');
    h.emit(
      { type: 'error', message: 'We heard no speech in your answer.', retryable: false },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    expect(h.voice.phase).toBe('idle');
    expect(h.voice.uploadError).toBe('We heard no speech in your answer.');
    expect(h.voice.canRecord).toBe(true);
  });

  it('hands-free: after a refused answer recording starts once more by itself, then waits for the button', async () => {
    const h = harness(
      { autoAdvance: true },
      {
        upload: () =>
          new Response(JSON.stringify({ status: 422, detail: 'We heard no speech.' }), {
            status: 422,
            headers: { 'content-type': 'application/problem+json' },
          }),
      },
    );
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    for (let i = 0; i < 4; i++) {
      h.voice.autoStart();
      await flush();
      await h.voice.finishRecording();
    }
    expect(h.mic.recordings).toBe(2);
    expect(h.voice.uploadError).toBe('We heard no speech.');
  });

  it('barge-in: talking over the coach stops it, the rest of that question is not spoken, and the answer is recorded', async () => {
    const h = harness();
    await h.voice.ensureMic();
    h.emit({
      type: 'question',
      turnId: 't1',
      text: 'First sentence here. Second one follows. Third.',
      citations: [],
    });
    h.emit({ type: 'state', status: 'awaiting_answer', round: 1 });
    await flush();
    expect(h.mic.opened).toBe(2); // the check on opening, then the listener while the coach speaks
    h.mic.level = LOUD;
    await vi.advanceTimersByTimeAsync(500);
    expect(h.stopped).toContain('First sentence here.');
    expect(h.voice.speaking).toBe(false);
    expect(h.voice.bargeIns).toBe(1);
    await flush();
    expect(h.voice.phase).toBe('recording');
    expect(h.voice.spoken).toEqual([]);
  });
});

describe('a mock panel', () => {
  const cy = { id: 'cy', name: 'Cy', role: 'bar_raiser' as const };
  const template = {
    id: 'p',
    title: 'Panel',
    family: 'engineering',
    decisionRule: 'consensus' as const,
    panelists: [cy, { id: 'ana', name: 'Ana', role: 'hiring_manager' as const }].map((p) => ({
      ...p,
      persona: p.id === 'cy' ? ('tough' as const) : ('friendly' as const),
      dimensions: ['star' as const],
      competencies: [{ competency: 'ownership', weight: 3 }],
      timeBudgetSec: 120,
      mayInterrupt: p.id === 'cy',
      voice: `espeak:${p.id}`,
    })),
  };
  const CUT_IN = 'Let me stop you there — what was the outcome?';

  it('a panelist cutting in stops the recording and sends nothing; the cut-in is said next, as their question', async () => {
    const h = harness({ panel: { template } });
    h.emit(
      { type: 'question', turnId: 't1', text: 'A failure you learned from?', citations: [], panelist: cy },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    await h.voice.startRecording();
    expect(h.voice.phase).toBe('recording');
    h.emit(
      { type: 'transcript', turnId: 't1', text: 'So there were many meetings', partial: true },
      {
        type: 'interrupt',
        turnId: 't1',
        panelist: cy,
        text: CUT_IN,
        answer: 'So there were many meetings',
        followUpTurnId: 't2',
      },
    );
    await flush();
    expect(h.voice.phase).toBe('idle');
    expect(h.voice.status).toBe(`Cy cut in: ${CUT_IN}`);
    expect(h.uploads).toEqual([]);
    expect(h.mic.closed).toBeGreaterThanOrEqual(1);
    expect(h.store.view.turns[0]!.answer).toBe('So there were many meetings');
    h.emit(
      { type: 'question', turnId: 't2', text: CUT_IN, citations: [], probeOf: 't1', round: 1, panelist: cy },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await flush();
    expect(h.fetched.at(-1)).toBe(CUT_IN);
    // The follow-up is answered like any question.
    await h.endClip();
    expect(h.voice.canRecord).toBe(true);
  });

  it('after the candidate talked over a panelist, the next panelist question (a cut-in) is still said', async () => {
    const h = harness({ panel: { template } });
    await h.voice.ensureMic();
    h.emit({
      type: 'question',
      turnId: 't1',
      text: 'First sentence. Second one.',
      citations: [],
      panelist: cy,
    });
    h.emit({ type: 'state', status: 'awaiting_answer', round: 1 });
    await flush();
    h.mic.level = LOUD;
    await vi.advanceTimersByTimeAsync(500);
    expect(h.voice.bargeIns).toBe(1);
    expect(h.stopped).toContain('First sentence.');
    h.emit({
      type: 'interrupt',
      turnId: 't1',
      panelist: cy,
      text: CUT_IN,
      answer: 'So there were many meetings',
      followUpTurnId: 't2',
    });
    h.emit({ type: 'question', turnId: 't2', text: CUT_IN, citations: [], probeOf: 't1', panelist: cy });
    await flush();
    expect(h.fetched).toContain(CUT_IN);
  });

  it('a cut-in of another turn (one already answered) leaves the recording alone', async () => {
    const h = harness({ panel: { template } });
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [], panelist: cy },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    await h.voice.startRecording();
    h.emit({
      type: 'interrupt',
      turnId: 't0',
      panelist: cy,
      text: CUT_IN,
      answer: 'x',
      followUpTurnId: 't9',
    });
    await flush();
    expect(h.voice.phase).toBe('recording');
  });
});

describe('no microphone', () => {
  it('says the microphone is blocked, and typing takes over for this visit', async () => {
    const h = harness({}, { micError: new DOMException('Permission denied', 'NotAllowedError') });
    expect(await h.voice.ensureMic()).toBe(false);
    expect(h.voice.mic).toBe('error');
    expect(h.voice.micProblem).toBe('denied');
    expect(h.voice.micMessage).toMatch(/blocked/);
    h.voice.switchToText();
    expect(h.voice.voiceActive).toBe(false);
    // Typing: the coach is not spoken either.
    h.emit({ type: 'question', turnId: 't1', text: 'Why?', citations: [] });
    expect(h.fetched).toEqual([]);
  });

  it('tells a missing microphone from a blocked one', async () => {
    const h = harness({}, { micError: new DOMException('none', 'NotFoundError') });
    await h.voice.ensureMic();
    expect(h.voice.micProblem).toBe('missing');
    expect(h.voice.micMessage).toMatch(/No microphone/);
  });
});

/** A stand-in for Silero: a frame louder than -40 dBFS is speech (the real model: speech-detector.test.ts). */
const fakeSilero = async (): Promise<SpeechModel> => ({
  probability: async (frame) => (Math.abs(frame[0]!) > 0.01 ? 0.95 : 0.02),
  reset: () => {},
});

async function answering(h: Harness): Promise<void> {
  h.emit(
    { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
    { type: 'state', status: 'awaiting_answer', round: 1 },
  );
  await h.endClip();
  await h.voice.startRecording();
  h.mic.level = LOUD;
  await vi.advanceTimersByTimeAsync(1000);
  expect(h.voice.vad).toBe('speaking');
  h.mic.level = QUIET;
}

describe('turn taking', () => {
  it('after a live transcript ending in "…three stages, and" the answer waits twice the silence; a finished one ends at the setting', async () => {
    const h = harness();
    h.voice.setSilenceMs(1000);
    await answering(h);
    h.emit({ type: 'transcript', turnId: 't1', text: 'I planned it in three stages, and', partial: true });
    await vi.advanceTimersByTimeAsync(1500);
    expect(h.voice.phase).toBe('recording');
    expect(h.voice.silenceNeededMs).toBe(2000);
    expect(h.uploads).toEqual([]);
    await vi.advanceTimersByTimeAsync(600);
    expect(h.uploads).toEqual([{ turnId: 't1', size: 4000 }]);

    const h2 = harness();
    h2.voice.setSilenceMs(1000);
    await answering(h2);
    h2.emit({ type: 'transcript', turnId: 't1', text: 'I planned it in three stages.', partial: true });
    await vi.advanceTimersByTimeAsync(1100);
    expect(h2.uploads).toEqual([{ turnId: 't1', size: 4000 }]);
  });

  it('a partial transcript is not taken for the final one', async () => {
    const h = harness();
    h.voice.setSilenceMs(1000);
    await answering(h);
    await vi.advanceTimersByTimeAsync(1200);
    expect(h.voice.phase).toBe('transcribing');
    h.emit({ type: 'transcript', turnId: 't1', text: 'I planned', partial: true });
    expect(h.voice.phase).toBe('transcribing');
  });

  it('"I\'m thinking" holds the answer open through a long silence; on release the full silence ends it', async () => {
    const h = harness();
    h.voice.setSilenceMs(1000);
    await answering(h);
    h.voice.setThinking(true);
    expect(h.voice.thinking).toBe(true);
    await vi.advanceTimersByTimeAsync(8000);
    expect(h.voice.phase).toBe('recording');
    h.voice.setThinking(false);
    await vi.advanceTimersByTimeAsync(900);
    expect(h.voice.phase).toBe('recording');
    await vi.advanceTimersByTimeAsync(300);
    expect(h.voice.phase).toBe('transcribing');
    expect(h.voice.thinking).toBe(false);
  });

  it('the hold key and the button each hold the turn; it goes on until both are released', async () => {
    const h = harness();
    h.voice.setSilenceMs(1000);
    await answering(h);
    h.voice.setThinking(true, 'key');
    h.voice.setThinking(true, 'button');
    h.voice.setThinking(false, 'key');
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.voice.thinking).toBe(true);
    expect(h.voice.phase).toBe('recording');
  });

  it('with the speech model, speech is heard from its frames and barge-in stops the coach as speech starts', async () => {
    const h = harness({}, { speechModel: fakeSilero });
    await h.voice.ensureMic();
    h.emit({
      type: 'question',
      turnId: 't1',
      text: 'First sentence here. Second one follows.',
      citations: [],
    });
    h.emit({ type: 'state', status: 'awaiting_answer', round: 1 });
    await flush();
    expect(h.voice.detector).toBe('silero');
    h.mic.level = LOUD;
    await h.frame();
    expect(h.voice.speaking).toBe(true); // one frame is not yet speech
    await vi.advanceTimersByTimeAsync(32);
    await h.frame();
    expect(h.voice.speaking).toBe(false);
    expect(h.voice.bargeIns).toBe(1);
    // From the sound's start (the first frame's first sample, 32 ms before it arrived) to the stop.
    expect(h.voice.bargeInMs).toBe(64);
    await flush();
    expect(h.voice.phase).toBe('recording');
    expect(h.voice.detector).toBe('silero');
  });

  it('speech the model hears over the coach but too quiet to be the candidate (an echo) does not stop it; once loud, it does', async () => {
    const h = harness({}, { speechModel: fakeSilero });
    await h.voice.ensureMic();
    h.emit({
      type: 'question',
      turnId: 't1',
      text: 'First sentence here. Second one follows.',
      citations: [],
    });
    await flush();
    h.mic.level = 0.005; // the level the microphone reads: -46 dBFS
    await h.frame(0.5); // what the model is given: speech
    await h.frame(0.5);
    await vi.advanceTimersByTimeAsync(200);
    expect(h.voice.bargeIns).toBe(0);
    expect(h.voice.speaking).toBe(true);
    h.mic.level = LOUD;
    await vi.advanceTimersByTimeAsync(60);
    expect(h.voice.bargeIns).toBe(1);
    expect(h.voice.speaking).toBe(false);
  });

  it('the model loads once the question is complete, not while it streams; the listener moves to it from loudness', async () => {
    let loads = 0;
    let loaded: (m: SpeechModel) => void = () => {};
    const h = harness(
      {},
      {
        speechModel: () => {
          loads++;
          return new Promise<SpeechModel>((r) => (loaded = r));
        },
      },
    );
    await h.voice.ensureMic();
    h.emit({ type: 'node', node: 'select_question', status: 'start' }, tok('Tell me about a migration '));
    h.emit(tok('you led. What changed '));
    await flush();
    expect(h.voice.speaking).toBe(true);
    expect(loads).toBe(0);
    expect(h.voice.detector).toBe('energy'); // the barge-in listener, meanwhile
    h.emit(tok('because of it?'), { type: 'question', turnId: 't1', text: QUESTION, citations: [] });
    expect(loads).toBe(1);
    loaded(await fakeSilero());
    await flush();
    expect(h.voice.detector).toBe('silero');
  });

  it('an answer does not wait more than 5 s for a model that is still loading: it goes by loudness', async () => {
    const h = harness({}, { speechModel: () => new Promise<SpeechModel>(() => {}) });
    await h.voice.ensureMic();
    h.emit(
      { type: 'question', turnId: 't1', text: 'Why?', citations: [] },
      { type: 'state', status: 'awaiting_answer', round: 1 },
    );
    await h.endClip();
    void h.voice.startRecording();
    await vi.advanceTimersByTimeAsync(4900);
    expect(h.voice.detector).toBe(null);
    await vi.advanceTimersByTimeAsync(200);
    expect(h.voice.detector).toBe('energy');
  });

  it('when the speech model cannot load, loudness detects speech and the candidate is told', async () => {
    const h = harness({}, { speechModel: () => Promise.reject(new Error('no wasm')) });
    await h.voice.ensureMic();
    await answering(h);
    expect(h.voice.detector).toBe('energy');
    expect(h.voice.detectorNote).toMatch(/could not be used \(no wasm\).*loudness/);
    await vi.advanceTimersByTimeAsync(2200);
    expect(h.voice.phase).toBe('transcribing');
  });
});
