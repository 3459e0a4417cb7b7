// Voice activity detection on the level the microphone analyser reports (RMS of each frame).
// Pure: fed (rms, time) pairs, so the rules are unit-tested without a microphone.

/** The RMS of one frame of samples in -1..1. */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length);
}

/** Level in dBFS (0 is full scale); silence is -100. */
export function dbfs(level: number): number {
  return level > 0 ? Math.max(-100, 20 * Math.log10(level)) : -100;
}

/** A 0..1 value for a level meter: -60 dBFS and below is empty, 0 dBFS full. */
export function meterValue(level: number): number {
  return Math.min(1, Math.max(0, (dbfs(level) + 60) / 60));
}

/** The floor never starts above this: someone already talking when listening starts is still heard. */
const INITIAL_FLOOR_DB = -50;
const FLOOR_FALL_MS = 100;
const FLOOR_RISE_MS = 4000;

export interface VadOptions {
  /** How long a silence after speech ends the answer. */
  silenceMs: number;
  /** Speech must last this long to count (a click or a cough does not start an answer). */
  minSpeechMs?: number;
  /** A level counts as speech when it is this many dB above the noise floor... */
  marginDb?: number;
  /** ...and above this absolute level. */
  minSpeechDb?: number;
}

export type VadState = 'waiting' | 'speaking' | 'pausing' | 'ended';

/**
 * Tracks one answer: `waiting` for speech, `speaking`, `pausing` (quiet, but not yet long enough),
 * `ended` after `silenceMs` of quiet following speech. The noise floor adapts to the room: it starts at
 * the first frame (at most -50 dBFS), falls within ~0.1 s and rises over seconds, so steady background noise stops
 * counting as speech while the gaps between words keep the floor down during speech.
 */
export class VoiceActivity {
  readonly silenceMs: number;
  readonly minSpeechMs: number;
  readonly marginDb: number;
  readonly minSpeechDb: number;
  state: VadState = 'waiting';
  #floorDb: number | null = null;
  #loudSince: number | null = null;
  #quietSince: number | null = null;
  /** Total speech heard, in ms. */
  speechMs = 0;
  #lastT: number | null = null;

  constructor(options: VadOptions) {
    this.silenceMs = options.silenceMs;
    this.minSpeechMs = options.minSpeechMs ?? 200;
    this.marginDb = options.marginDb ?? 12;
    this.minSpeechDb = options.minSpeechDb ?? -50;
  }

  get noiseFloorDb(): number {
    return this.#floorDb ?? -100;
  }

  /** Is this level speech, given the noise floor so far? */
  isSpeech(level: number): boolean {
    const db = dbfs(level);
    return db >= this.minSpeechDb && db >= this.noiseFloorDb + this.marginDb;
  }

  /** Feed one frame's RMS at time `t` (ms); returns the new state. */
  update(level: number, t: number): VadState {
    const dt = this.#lastT === null ? 0 : Math.max(0, t - this.#lastT);
    this.#lastT = t;
    if (this.state === 'ended') return this.state;
    const db = dbfs(level);
    if (this.#floorDb === null) this.#floorDb = Math.min(db, INITIAL_FLOOR_DB);
    const loud = this.isSpeech(level);
    const tau = db < this.#floorDb ? FLOOR_FALL_MS : FLOOR_RISE_MS;
    this.#floorDb += (db - this.#floorDb) * (1 - Math.exp(-dt / tau));

    if (loud) {
      this.#quietSince = null;
      this.#loudSince ??= t;
      if (this.state === 'speaking' || this.state === 'pausing') {
        this.speechMs += dt;
        this.state = 'speaking';
      } else if (t - this.#loudSince >= this.minSpeechMs) {
        this.speechMs = t - this.#loudSince;
        this.state = 'speaking';
      }
    } else {
      this.#loudSince = null;
      if (this.state === 'speaking' || this.state === 'pausing') {
        this.#quietSince ??= t;
        this.state = t - this.#quietSince >= this.silenceMs ? 'ended' : 'pausing';
      }
    }
    return this.state;
  }
}

/**
 * Barge-in: the candidate starts talking while the coach speaks. Needs `holdMs` of continuous speech
 * well above the floor, so the coach's own voice leaking past echo cancellation, or a short noise,
 * does not cut the playback.
 */
export class SpeechOnset {
  readonly holdMs: number;
  #vad: VoiceActivity;
  #since: number | null = null;

  constructor(options: { holdMs?: number; marginDb?: number; minSpeechDb?: number } = {}) {
    this.holdMs = options.holdMs ?? 300;
    this.#vad = new VoiceActivity({
      silenceMs: Number.POSITIVE_INFINITY,
      marginDb: options.marginDb ?? 15,
      minSpeechDb: options.minSpeechDb ?? -40,
    });
  }

  /** Feed one frame; true once speech has held for `holdMs`. */
  update(level: number, t: number): boolean {
    const loud = this.#vad.isSpeech(level);
    this.#vad.update(level, t);
    if (!loud) {
      this.#since = null;
      return false;
    }
    this.#since ??= t;
    return t - this.#since >= this.holdMs;
  }

  reset(): void {
    this.#since = null;
  }
}
