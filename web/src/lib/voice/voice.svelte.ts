// VoiceSession: the voice side of one open practice session. It speaks the coach (question and
// critique, sentence by sentence as they stream), records answers with a live level and voice
// activity detection, uploads them, runs hands-free, and stops the coach when the candidate talks
// over it (barge-in). The session's own state stays in SessionStore; this only listens to it.
//
// The microphone is opened for each answer and closed after it (and, for barge-in, while the coach
// speaks), not held for the whole visit: the browser's recording indicator then means recording.
import { api, errorMessage, type SessionEvent, type TurnAccepted } from '../api';
import { AnswerStream } from './answer-stream';
import type { SessionStore } from '../session.svelte';
import { ttsClip } from './audio-clip';
import { EndOfTurn } from './end-of-turn';
import { IntonationTracker } from './intonation';
import { Microphone, micError, MicError, type MicInput, type MicProblem } from './microphone';
import type { Recording } from './recording';
import { ReplayGate } from './replay-gate';
import { PauseSegmenter } from './segmenter';
import { SentenceSplitter } from './sentences';
import { loadSilenceMs, saveSilenceMs } from './settings';
import type { SpeechModel } from './silero';
import { EnergyDetector, SileroDetector, type SpeechDetector } from './speech-detector';
import { loadSpeechModel } from './speech-model';
import { SpeechQueue, type Clip } from './speech-queue';
import { dbfs, meterValue, SpeechOnset, type VadState } from './vad';

/** The recorder's step in one answer. */
export type RecorderPhase = 'idle' | 'recording' | 'uploading' | 'transcribing';

const QUESTION_NODES = new Set(['select_question', 'question']);
const TICK_MS = 50;
/** Longer answers are cut here (the server's limit is the authority; this keeps uploads sane). */
export const MAX_RECORDING_MS = 5 * 60_000;
/** Hands-free recordings started by themselves per question, counting one retry after a refusal. */
const AUTO_ATTEMPTS = 2;
/** Speech over the coach must reach this level (dBFS) to stop it, as the energy detector's barge-in asks. */
const BARGE_IN_MIN_DB = -40;
/** How long an answer waits for the speech model to load before it goes by loudness instead. */
const MODEL_WAIT_MS = 5000;
/** If the replay never reaches the snapshot's last item, start speaking anyway after this long. */
const GATE_TIMEOUT_MS = 4000;

export interface VoiceOptions {
  /** For tests: how a sentence becomes audio. */
  makeClip?: (text: string) => Clip;
  openMic?: () => Promise<MicInput>;
  /** For tests: the neural speech detector's model (default: Silero, served by the app). */
  loadSpeechModel?: () => Promise<SpeechModel>;
}

/** Who holds the turn open ("I'm thinking"): the button (a toggle) or the hold key (while held down). */
export type ThinkingBy = 'button' | 'key';

export class VoiceSession {
  readonly store: SessionStore;

  // ---- what the UI shows ----
  mic: 'off' | 'opening' | 'ready' | 'error' = $state('off');
  micProblem: MicProblem | null = $state(null);
  micMessage: string | null = $state(null);
  /** The candidate chose (or had) to type for the rest of this visit. */
  typing = $state(false);
  phase: RecorderPhase = $state('idle');
  level = $state(0);
  elapsedMs = $state(0);
  vad: VadState = $state('waiting');
  silenceMs = $state(loadSilenceMs());
  speaking = $state(false);
  /** Audio (playback or level meter) waits for a click: the browser's autoplay policy. */
  needsGesture = $state(false);
  /** A short line for the live region: what just happened. */
  status = $state('');
  /** How often the candidate talked over the coach (shown to tests as a data attribute). */
  bargeIns = $state(0);
  /** Which detector hears speech: the Silero model, or loudness when the model could not load. */
  detector: 'silero' | 'energy' | null = $state(null);
  /** Why the model is not in use, shown to the candidate. */
  detectorNote: string | null = $state(null);
  /** The candidate holds the turn open: the silence clock is stopped. */
  thinking = $state(false);
  /** The silence that ends this answer now: the setting, or longer after an unfinished sentence. */
  silenceNeededMs = $state(0);
  /** From the sound of the candidate's voice to the coach's playback stopped, at the last barge-in (ms). */
  bargeInMs: number | null = $state(null);
  /** The last upload's problem (the session still awaits the same question). */
  uploadError: string | null = $state(null);
  /** The turn whose recording last started by itself (hands-free), and how often it did. */
  #autoStarted: { turnId: string; times: number } | null = null;

  #queue: SpeechQueue;
  #openMic: () => Promise<MicInput>;
  /** The microphone of the answer being recorded. */
  #mic: MicInput | null = null;
  /** The microphone listening for barge-in while the coach speaks. */
  #monitor: MicInput | null = null;
  #monitorOpening = false;
  #micChecking: Promise<boolean> | null = null;
  /** The utterance the candidate talked over: the rest of it is not spoken. */
  #silenced: 'question' | 'critique' | null = null;
  #recording: Recording | null = null;
  #recordingTurn: string | undefined;
  /** The turn a panelist cut into: an upload of it already on its way is refused, and that is expected. */
  #cutTurn: string | undefined;
  #turn: EndOfTurn | null = null;
  /** The detector of the open microphone (the answer's or the monitor's), and how to stop feeding it. */
  #detector: SpeechDetector | null = null;
  #stopDetector: () => void = () => {};
  #loadModel: () => Promise<SpeechModel>;
  #model: Promise<SpeechModel | null> | null = null;
  #modelReady: SpeechModel | null = null;
  /** A microphone here sends frames (AudioWorklet): the model is worth loading. */
  #framesHeard = false;
  #holds: Record<ThinkingBy, boolean> = { button: false, key: false };
  /** The pitch of the microphone's last frames: a voice rising into a pause waits like an "and". */
  #intonation = new IntonationTracker();
  /** When Silero last heard speech start over the coach, until it barges in or the speech stops. */
  #heardAt: number | null = null;
  /** Barge-in for the energy detector (Silero reports the start of speech itself). */
  /** The answer being recorded, sent segment by segment as it is spoken (PCM recordings of a known turn). */
  #stream: AnswerStream | null = null;
  #segmenter: PauseSegmenter | null = null;
  #onset = new SpeechOnset();
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #gate: ReplayGate | null = null;
  #gateTimer: ReturnType<typeof setTimeout> | null = null;
  #question = new SentenceSplitter();
  #critique = new SentenceSplitter();
  #unsubscribe: () => void;
  #destroyed = false;

  constructor(store: SessionStore, options: VoiceOptions = {}) {
    this.store = store;
    this.#openMic = options.openMic ?? (() => Microphone.open());
    this.#loadModel = options.loadSpeechModel ?? loadSpeechModel;
    this.#queue = new SpeechQueue({
      makeClip: options.makeClip ?? ttsClip,
      onchange: (speaking) => {
        this.speaking = speaking;
        if (speaking) void this.#openMonitor();
        else this.#closeMonitor();
      },
      onblocked: () => {
        this.needsGesture = true;
      },
      onerror: (_text, err) => {
        this.status = `The coach's voice failed: ${errorMessage(err)}`;
      },
    });
    this.#unsubscribe = store.onEvent((event) => this.#onEvent(event));
  }

  /** The candidate answers with the microphone now (voice session, not switched to typing). */
  get voiceActive(): boolean {
    return this.store.view.mode === 'voice' && !this.typing;
  }

  get handsFree(): boolean {
    return this.store.view.autoAdvance;
  }

  get canRecord(): boolean {
    return this.store.canAnswer && this.phase === 'idle' && this.mic !== 'error';
  }

  /** Sentences spoken so far (for tests and the transcript of what the coach said). */
  get spoken(): readonly string[] {
    return this.#queue.spoken;
  }

  // ---- the coach's voice ----

  #onEvent(event: SessionEvent): void {
    if (this.#destroyed) return;
    if (!this.#gate) {
      this.#gate = new ReplayGate(this.store.view.turns);
      this.#gateTimer = setTimeout(() => this.#gate?.open(), GATE_TIMEOUT_MS);
    }
    if (this.phase === 'transcribing') this.#whileTranscribing(event);
    if (event.type === 'question') this.#preloadModel();
    if (event.type === 'transcript' && event.partial && event.turnId === this.#recordingTurn)
      this.#turn?.transcript(event.text, event.segments);
    if (event.type === 'interrupt') this.#cutIn(event);
    if (!this.#gate.observe(event) || this.store.view.mode !== 'voice') return;
    switch (event.type) {
      case 'node':
        if (event.status === 'start' && QUESTION_NODES.has(event.node)) this.#begin('question');
        if (event.status === 'start' && event.node === 'critique') this.#begin('critique');
        break;
      case 'token':
        // A panel's question is said once whole, in its panelist's voice, after the hand-over; the panel
        // does not critique out loud (its verdict is the debrief).
        if (this.store.view.panel) break;
        if (QUESTION_NODES.has(event.node)) this.#say('question', this.#question.push(event.text));
        else if (event.node === 'critique') this.#say('critique', this.#critique.push(event.text));
        break;
      case 'question':
        // A panel's question is said whole at its event, so one the candidate talked over was an earlier
        // one (a cut-in follows right after): this one is said.
        if (this.store.view.panel) {
          if (this.#silenced === 'question') this.#silenced = null;
          this.#sayPanelQuestion(event);
        } else this.#say('question', this.#question.finish(event.text));
        if (this.#silenced === 'question') this.#silenced = null; // the next one (a retry) is spoken
        break;
      case 'feedback':
        if (this.store.view.panel) break;
        this.#say('critique', this.#critique.finish(event.critique ?? ''));
        if (this.#silenced === 'critique') this.#silenced = null;
        break;
      default:
        break;
    }
  }

  /**
   * A panelist cut into the answer being spoken: the server ended it at what it had heard, so the recording
   * stops and nothing more is sent. Their cut-in is spoken as the next question (its own event).
   */
  #cutIn(event: Extract<SessionEvent, { type: 'interrupt' }>): void {
    if (event.turnId !== this.#recordingTurn) return;
    this.#cutTurn = event.turnId;
    if (this.phase === 'recording') this.cancelRecording();
    this.phase = 'idle';
    this.uploadError = null;
    this.status = `${event.panelist.name} cut in: ${event.text}`;
  }

  #begin(kind: 'question' | 'critique'): void {
    (kind === 'question' ? this.#question : this.#critique).reset();
    if (this.#silenced === kind) this.#silenced = null;
  }

  /** The transcript arrives, or the server gives the question back (no speech heard, engine failed). */
  #whileTranscribing(event: SessionEvent): void {
    if (event.type === 'transcript' && !event.partial && event.turnId === this.#recordingTurn) {
      this.phase = 'idle';
      this.status = 'Transcript ready. The coach is reviewing your answer.';
    } else if (event.type === 'error') {
      this.#uploadFailed(event.message);
    } else if (event.type === 'state' && event.status === 'awaiting_answer') {
      this.#uploadFailed('Your answer could not be transcribed.');
    }
  }

  #say(kind: 'question' | 'critique', sentences: string[]): void {
    if (sentences.length && !this.typing && this.#silenced !== kind) this.#queue.enqueue(...sentences);
  }

  /** The previous panelist hands over in their voice, then the asking panelist asks in theirs. */
  #sayPanelQuestion(event: Extract<SessionEvent, { type: 'question' }>): void {
    if (this.typing || this.#silenced === 'question') return;
    const panel = this.store.view.panel!;
    const voiceOf = (id: string | undefined) => panel.template.panelists.find((p) => p.id === id)?.voice;
    const turns = this.store.view.turns;
    const at = turns.findIndex((t) => t.id === event.turnId);
    const before = (at < 0 ? turns : turns.slice(0, at)).findLast((t) => t.panelist)?.panelist?.id;
    if (event.handOver)
      this.#queue.enqueueAs(voiceOf(before), ...new SentenceSplitter().finish(event.handOver));
    this.#queue.enqueueAs(voiceOf(event.panelist?.id), ...new SentenceSplitter().finish(event.text));
  }

  /** Says `text` now (the replay button of a question), cutting what is playing. */
  sayAgain(text: string): void {
    this.#queue.stop();
    this.#queue.enqueue(...new SentenceSplitter().finish(text));
  }

  stopSpeaking(): void {
    this.#queue.stop();
  }

  /** From a click: lets audio start where the browser held it back. */
  enableAudio(): void {
    this.needsGesture = false;
    this.#mic?.wake();
    this.#monitor?.wake();
    this.#queue.resume();
  }

  // ---- the microphone ----

  /**
   * Opens the microphone, or says why it cannot be (then recording is offered no more, typing is).
   * Every successful open marks it `ready`.
   */
  async #open(): Promise<MicInput | null> {
    if (this.mic !== 'ready') this.mic = 'opening';
    try {
      const mic = await this.#openMic();
      if (this.#destroyed) {
        mic.close();
        return null;
      }
      this.mic = 'ready';
      this.micProblem = null;
      this.micMessage = null;
      return mic;
    } catch (err) {
      const e = err instanceof MicError ? err : micError(err);
      this.mic = 'error';
      this.micProblem = e.problem;
      this.micMessage = e.message;
      this.status = e.message;
      return null;
    }
  }

  /**
   * Checks once, on opening a voice session, that there is a microphone and it may be used, so a
   * missing or blocked one is said before the first answer.
   */
  ensureMic(): Promise<boolean> {
    if (this.mic === 'ready') return Promise.resolve(true);
    this.#micChecking ??= this.#open()
      .then((mic) => {
        if (mic?.listen) this.#framesHeard = true;
        if (this.store.view.status === 'awaiting_answer') this.#preloadModel();
        mic?.close();
        return mic !== null;
      })
      .finally(() => (this.#micChecking = null));
    return this.#micChecking;
  }

  async #openMonitor(): Promise<void> {
    if (this.#monitor || this.#monitorOpening || this.#mic || this.mic !== 'ready' || !this.voiceActive)
      return;
    this.#monitorOpening = true;
    try {
      const mic = await this.#open();
      if (!mic) return;
      if (!this.speaking || this.#mic || this.#destroyed) {
        mic.close();
        return;
      }
      this.#monitor = mic;
      this.#onset.reset();
      this.#startTicking();
      await this.#listenForBargeIn(mic);
    } finally {
      this.#monitorOpening = false;
    }
  }

  /** Silero if the model is loaded already (it is not awaited: the coach is speaking now), else loudness. */
  async #listenForBargeIn(mic: MicInput): Promise<void> {
    await this.#attachDetector(
      mic,
      (onsetAt) => {
        this.#heardAt = onsetAt;
        if (this.#monitor === mic) this.#maybeBargeIn(mic);
      },
      false,
    );
  }

  #closeMonitor(): void {
    if (this.#monitor) this.#detachDetector();
    this.#monitor?.close();
    this.#monitor = null;
    this.#stopTickingIfIdle();
  }

  /** Answer by typing for the rest of this visit: the microphone is released, nothing is lost. */
  switchToText(): void {
    this.typing = true;
    this.cancelRecording();
    this.#queue.stop();
    this.status = 'Switched to typed answers. Type your answer below.';
  }

  /** Back to the microphone after typing. */
  switchToVoice(): void {
    this.typing = false;
    this.mic = 'off';
    this.micProblem = null;
    this.micMessage = null;
    void this.ensureMic();
  }

  setSilenceMs(ms: number): void {
    this.silenceMs = saveSilenceMs(ms);
  }

  // ---- recording ----

  async startRecording(): Promise<void> {
    if (!this.canRecord || this.#recording) return;
    const turn = this.store.current;
    this.#queue.stop(); // the candidate answers: the coach stops talking
    this.uploadError = null;
    this.#closeMonitor();
    this.phase = 'recording'; // claimed now: a second press while the microphone opens does nothing
    const mic = await this.#open();
    if (!mic || this.#destroyed || this.phase !== 'recording' || this.#recording) {
      mic?.close();
      if (this.phase === 'recording') this.phase = 'idle';
      return;
    }
    this.#mic = mic;
    mic.wake();
    // Without a click on the page yet, the level (and so the silence that ends the answer) waits for one.
    if (mic.suspended) this.needsGesture = true;
    this.#startTicking();
    this.#recording = mic.record();
    this.#recordingTurn = turn?.id;
    // Both detectors already ignore a click or a one-frame blip: no second minimum here.
    this.#turn = new EndOfTurn({ silenceMs: this.silenceMs, minSpeechMs: 0 });
    this.#turn.hold(this.thinking, performance.now());
    this.silenceNeededMs = this.silenceMs;
    this.#stream = this.#recording.cut && turn ? this.#answerStream(turn.id) : null;
    this.#segmenter = this.#stream ? new PauseSegmenter(performance.now()) : null;
    this.vad = 'waiting';
    this.#startedAt = performance.now();
    this.elapsedMs = 0;
    this.status = `Recording. Speak your answer; ${(this.silenceMs / 1000).toFixed(1)} seconds of silence ends it.`;
    await this.#attachDetector(mic);
  }

  #answerStream(turnId: string): AnswerStream {
    const sessionId = this.store.id;
    return new AnswerStream({
      put: (index, wav) => api.putAudioSegment(sessionId, turnId, index, wav),
      finish: (segments) => api.finishAudio(sessionId, turnId, segments),
    });
  }

  /** Sends what was said since the last pause, to be transcribed while the candidate goes on. */
  #sendSegment(): void {
    const wav = this.#recording?.cut?.();
    if (!wav || !this.#stream) return;
    this.#stream.push(wav);
    this.#turn?.cut();
  }

  /** Ends the answer and uploads it (or, streamed, the rest of it). */
  async finishRecording(): Promise<void> {
    const recording = this.#recording;
    if (!recording || this.phase !== 'recording') return;
    const stream = this.#stream;
    this.#recording = null;
    this.#endTurn();
    this.#stream = null;
    this.#segmenter = null;
    this.phase = 'uploading';
    this.status = 'Uploading your answer…';
    let blob: Blob;
    try {
      blob = await recording.stop();
    } catch (err) {
      this.#uploadFailed(errorMessage(err));
      return;
    } finally {
      this.#releaseMic();
    }
    try {
      const rest = stream && recording.cut?.();
      if (rest) stream.push(rest);
      const { turnId }: TurnAccepted = stream?.count
        ? await stream.finish()
        : await api.submitAudio(this.store.id, blob, this.#recordingTurn);
      this.#recordingTurn = turnId;
      // The transcript may already have arrived while the upload's response was on its way.
      const answered = this.store.view.turns.find((t) => t.id === turnId)?.answer;
      this.phase = answered ? 'idle' : 'transcribing';
      this.status = answered ? 'Transcript ready.' : 'Transcribing your answer…';
    } catch (err) {
      this.#uploadFailed(errorMessage(err));
    }
  }

  #uploadFailed(message: string): void {
    if (this.#cutTurn !== undefined && this.#cutTurn === this.#recordingTurn) return;
    this.phase = 'idle';
    this.uploadError = message;
    this.status = `Your answer was not accepted: ${message}`;
  }

  /** Drops the recording in progress without sending it. */
  cancelRecording(): void {
    const recording = this.#recording;
    this.#recording = null;
    this.#endTurn();
    this.#stream = null;
    this.#segmenter = null;
    if (recording)
      void recording
        .stop()
        .catch(() => {})
        .finally(() => this.#releaseMic());
    if (this.phase === 'recording') {
      this.phase = 'idle';
      this.status = 'Recording cancelled.';
    }
  }

  /** Space bar / button: start, or end and send. */
  toggleRecording(): void {
    if (this.phase === 'recording') void this.finishRecording();
    else void this.startRecording();
  }

  /**
   * Hands-free: once the question has been spoken and the session waits for an answer, recording
   * starts by itself (once per question). Called by the page whenever its inputs change.
   */
  autoStart(): void {
    const turn = this.store.current;
    if (!this.handsFree || !this.voiceActive || !turn || turn.answer) return;
    if (this.speaking || this.needsGesture || !this.canRecord) return;
    const times = this.#autoStarted?.turnId === turn.id ? this.#autoStarted.times : 0;
    // Once, and once more after a refused answer; then the button (a silent room must not loop).
    if (times >= (this.uploadError ? AUTO_ATTEMPTS : 1)) return;
    this.#autoStarted = { turnId: turn.id, times: times + 1 };
    void this.startRecording();
  }

  #startTicking(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#tick(), TICK_MS);
  }

  #stopTickingIfIdle(): void {
    if (this.#mic || this.#monitor || !this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    const now = performance.now();
    const turn = this.#turn;
    if (this.#mic && turn && this.phase === 'recording') {
      const level = this.#mic.level();
      this.level = meterValue(level);
      this.elapsedMs = now - this.#startedAt;
      // Until the detector is attached (the model may still be loading), the turn waits.
      const before = turn.state;
      if (this.#detector) this.vad = turn.update(this.#detector.speaking(level, now), now);
      if (before === 'speaking' && turn.state === 'pausing') turn.intonation(this.#intonation.rising());
      this.silenceNeededMs = turn.silenceNeededMs;
      if (this.#segmenter?.update(this.vad, now)) this.#sendSegment();
      if (this.vad === 'ended' || this.elapsedMs >= MAX_RECORDING_MS) void this.finishRecording();
    } else if (this.#monitor && this.#detector?.kind === 'silero') {
      this.#maybeBargeIn(this.#monitor);
    } else if (
      this.#monitor &&
      this.speaking &&
      this.#detector?.kind === 'energy' &&
      this.#onset.update(this.#monitor.level(), now)
    ) {
      this.#bargeIn(now - this.#onset.holdMs);
    }
  }

  /**
   * Silero heard speech start over the coach (`#heardAt`): barge in, if it is loud enough to be the
   * candidate. The model hears the coach's own voice too where it leaks past echo cancellation, but that
   * is quiet; the level is read at once (no delay), and again on each tick while the speech goes on.
   */
  #maybeBargeIn(mic: MicInput): void {
    if (this.#heardAt === null) return;
    if (!(this.#detector instanceof SileroDetector && this.#detector.speaking())) {
      this.#heardAt = null;
      return;
    }
    if (!this.speaking || dbfs(mic.level()) < BARGE_IN_MIN_DB) return;
    const at = this.#heardAt;
    this.#heardAt = null;
    this.#bargeIn(at);
  }

  // ---- hearing speech ----

  /**
   * Starts loading the model once a complete question is there, where the microphone sends frames. Not
   * earlier: loading takes the CPU for a moment, and while the question streams in that moment would
   * delay its first spoken sentence.
   */
  #preloadModel(): void {
    if (this.#framesHeard && !this.typing) void this.#speechModel();
  }

  /** The Silero model, loaded once per visit; null (and a note for the candidate) if it cannot be. */
  #speechModel(): Promise<SpeechModel | null> {
    this.#model ??= this.#loadModel().then(
      (model) => {
        this.#modelReady = model;
        // A barge-in listener that started on loudness moves to the model now.
        if (this.#monitor && this.#detector?.kind === 'energy') void this.#listenForBargeIn(this.#monitor);
        return model;
      },
      (err: unknown) => {
        this.#modelFailed(err);
        return null;
      },
    );
    return this.#model;
  }

  /** The model, or null if it is not loaded within `ms` (this answer then goes by loudness). */
  #modelWithin(ms: number): Promise<SpeechModel | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
    return Promise.race([this.#speechModel(), late]).finally(() => clearTimeout(timer));
  }

  #modelFailed(err: unknown): void {
    this.detectorNote = `The speech model could not be used (${errorMessage(err)}), so your voice is detected by loudness: background noise may keep an answer open.`;
    this.#model = Promise.resolve(null);
    this.#modelReady = null;
    if (this.#detector?.kind === 'silero') {
      this.#detachDetector();
      this.#detector = new EnergyDetector();
      this.detector = 'energy';
    }
  }

  /**
   * Feeds `mic` to Silero where the browser sends frames and the model loads, else to the energy detector
   * (the level). `onspeechstart` (barge-in) gets the time the speech's sound began.
   */
  async #attachDetector(
    mic: MicInput,
    onspeechstart?: (onsetAt: number) => void,
    waitForModel = true,
  ): Promise<void> {
    this.#detachDetector();
    if (mic.listen) this.#framesHeard = true;
    const model = !mic.listen
      ? null
      : waitForModel
        ? await this.#modelWithin(MODEL_WAIT_MS)
        : this.#modelReady;
    if (mic !== this.#mic && mic !== this.#monitor) return; // closed meanwhile
    if (model) {
      const silero = new SileroDetector(model, {
        onspeechstart,
        onerror: (err) => this.#modelFailed(err),
      });
      const stop = mic.listen?.((frame) => {
        silero.push(frame);
        this.#intonation.push(frame);
      });
      if (stop) {
        this.#detector = silero;
        this.#stopDetector = () => {
          stop();
          silero.close();
        };
        this.detector = 'silero';
        return;
      }
    }
    this.#detector = new EnergyDetector();
    this.detector = 'energy';
  }

  #detachDetector(): void {
    this.#stopDetector();
    this.#stopDetector = () => {};
    this.#detector = null;
    this.#heardAt = null;
  }

  #endTurn(): void {
    this.#turn = null;
    this.#holds.button = false;
    this.thinking = this.#holds.key;
  }

  /**
   * "I'm thinking": while held (the button pressed, or the hold key down), the silence does not end the
   * answer; on release the full silence starts again.
   */
  setThinking(on: boolean, by: ThinkingBy = 'button'): void {
    this.#holds[by] = on;
    const held = this.#holds.button || this.#holds.key;
    if (held === this.thinking) return;
    this.thinking = held;
    this.#turn?.hold(held, performance.now());
    if (this.phase !== 'recording') return;
    this.status = held
      ? 'Thinking: take your time, your answer stays open.'
      : `Go on when ready; ${(this.silenceMs / 1000).toFixed(1)} seconds of silence ends your answer.`;
  }

  /** The candidate talks over the coach: stop talking, and if a question waits, record the answer. */
  #bargeIn(onsetAt: number): void {
    const kind =
      this.store.view.status === 'coaching' || this.store.view.status === 'reviewing'
        ? 'critique'
        : 'question';
    this.#silenced = kind;
    this.#queue.stop();
    this.bargeInMs = Math.round(performance.now() - onsetAt);
    this.bargeIns++;
    this.status = 'Stopped the coach: you are speaking.';
    if (this.voiceActive && this.store.canAnswer && this.phase === 'idle') {
      const turn = this.store.current;
      if (turn) this.#autoStarted = { turnId: turn.id, times: 1 };
      void this.startRecording();
    }
  }

  #releaseMic(): void {
    if (this.#mic) this.#detachDetector();
    this.#mic?.close();
    this.#mic = null;
    this.level = 0;
    this.#stopTickingIfIdle();
  }

  destroy(): void {
    this.#destroyed = true;
    this.#unsubscribe();
    if (this.#gateTimer) clearTimeout(this.#gateTimer);
    this.cancelRecording();
    this.#queue.stop();
    this.#closeMonitor();
    this.#releaseMic();
  }
}
