// Is the candidate speaking? Two detectors behind one interface: the Silero neural model on the 16 kHz
// frames the microphone's VAD worklet sends (it tells speech from a fan, a keyboard or a cough), and, where
// the model cannot load or the browser has no AudioWorklet, the energy detector on the analyser's level
// (vad.ts). The end of a turn (end-of-turn.ts) and barge-in read either the same way.
import { SILERO_FRAME, type SpeechModel } from './silero';
import { VoiceActivity } from './vad';

/** Samples per ms at 16 kHz. */
const PER_MS = 16;
/**
 * A frame whose loudest sample passes this (-40 dBFS) holds the start of a sound: where the onset of the
 * speech that the model then recognises is put, to measure barge-in from the sound itself.
 */
const ONSET_AMPLITUDE = 0.01;

export interface SpeechDetector {
  readonly kind: 'silero' | 'energy';
  /** Speech now? `level` is the analyser's RMS (the energy detector's input), `t` the time in ms. */
  speaking(level: number, t: number): boolean;
}

export interface SileroOptions {
  /** A frame at or above this probability is speech (silero-vad's default threshold)... */
  positive?: number;
  /** ...and speech goes on until a frame falls below this one (hysteresis, as silero-vad's get_speech_timestamps). */
  negative?: number;
  /** Speech starts after this many speech frames in a row (2 frames = 64 ms: a click is one frame). */
  onsetFrames?: number;
  /** Called as speech starts, with the time (ms, `now`'s clock) its sound began: for barge-in. */
  onspeechstart?: (onsetAt: number) => void;
  onerror?: (err: unknown) => void;
  now?: () => number;
}

/**
 * Silero on a stream of 16 kHz samples: `push` takes them as they come (any length), cuts 512-sample frames,
 * and runs the model on each in order; `speaking` is the latest verdict.
 */
export class SileroDetector implements SpeechDetector {
  readonly kind = 'silero';
  readonly #model: SpeechModel;
  readonly #positive: number;
  readonly #negative: number;
  readonly #onsetFrames: number;
  readonly #now: () => number;
  readonly #onspeechstart: (onsetAt: number) => void;
  readonly #onerror: (err: unknown) => void;
  #buffer = new Float32Array(SILERO_FRAME);
  #filled = 0;
  #run: Promise<void> = Promise.resolve();
  #speaking = false;
  #inARow = 0;
  /** When the sound that may be speech began (ms), while not yet speaking. */
  #soundAt: number | null = null;
  /** The probability of the latest frame (for tests and diagnostics). */
  lastProbability = 0;
  #closed = false;

  constructor(model: SpeechModel, options: SileroOptions = {}) {
    this.#model = model;
    this.#positive = options.positive ?? 0.5;
    this.#negative = options.negative ?? 0.35;
    this.#onsetFrames = options.onsetFrames ?? 2;
    this.#now = options.now ?? (() => performance.now());
    this.#onspeechstart = options.onspeechstart ?? (() => {});
    this.#onerror = options.onerror ?? (() => {});
    model.reset();
  }

  speaking(): boolean {
    return this.#speaking;
  }

  /** Takes 16 kHz samples just received (their last one is "now"). */
  push(samples: Float32Array): void {
    if (this.#closed) return;
    const arrived = this.#now();
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(SILERO_FRAME - this.#filled, samples.length - at);
      this.#buffer.set(samples.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled < SILERO_FRAME) break;
      const frame = this.#buffer;
      this.#buffer = new Float32Array(SILERO_FRAME);
      this.#filled = 0;
      // The time of the frame's last sample: the samples after it in this chunk are later still.
      const endAt = arrived - (samples.length - at) / PER_MS;
      this.#run = this.#run.then(() => this.#frame(frame, endAt));
    }
  }

  /** Resolves once every frame pushed so far has been judged. */
  settled(): Promise<void> {
    return this.#run;
  }

  close(): void {
    this.#closed = true;
  }

  async #frame(frame: Float32Array, endAt: number): Promise<void> {
    if (this.#closed) return;
    let p: number;
    try {
      p = await this.#model.probability(frame);
    } catch (err) {
      this.#closed = true;
      this.#onerror(err);
      return;
    }
    this.lastProbability = p;
    if (!this.#speaking) {
      const first = frame.findIndex((s) => Math.abs(s) >= ONSET_AMPLITUDE);
      if (first < 0 && p < this.#positive) this.#soundAt = null;
      else if (first >= 0) this.#soundAt ??= endAt - (SILERO_FRAME - first) / PER_MS;
    }
    if (this.#speaking) {
      if (p < this.#negative) {
        this.#speaking = false;
        this.#inARow = 0;
        this.#soundAt = null;
      }
      return;
    }
    this.#inARow = p >= this.#positive ? this.#inARow + 1 : 0;
    if (this.#inARow >= this.#onsetFrames) {
      this.#speaking = true;
      this.#onspeechstart(this.#soundAt ?? endAt - SILERO_FRAME / PER_MS);
      this.#soundAt = null;
    }
  }
}

/** The fallback: loudness above the room's noise floor (vad.ts), for when the model is not available. */
export class EnergyDetector implements SpeechDetector {
  readonly kind = 'energy';
  readonly #vad = new VoiceActivity({ silenceMs: Number.POSITIVE_INFINITY });

  speaking(level: number, t: number): boolean {
    return this.#vad.update(level, t) === 'speaking';
  }
}
