// Whether the last words before a pause went up: a voice that rises into a pause ("we moved the jobs to…")
// is usually mid-thought, like a sentence ending in "and". Pure and cheap: the pitch of each 32 ms frame by
// normalised autocorrelation, kept for the last second or so, compared at the pause.

/** The speaking voice's range (Hz): lower and higher peaks are not taken as its pitch. */
const MIN_F0 = 70;
const MAX_F0 = 400;
/** Below this correlation a frame is not voiced (noise, breath, a consonant). */
const VOICED_CORRELATION = 0.6;
/** Quieter frames are not voiced either (about -45 dBFS). */
const MIN_RMS = 0.005;
/** The end of the stretch against what came before it, in voiced frames (32 ms each). */
const END_FRAMES = 5;
const BEFORE_FRAMES = 10;
/** A rise of two semitones or more. */
export const RISE_RATIO = 2 ** (2 / 12);

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The pitch of one frame in Hz, or null when the frame is not voiced. */
export function pitchOf(frame: Float32Array, sampleRate = 16000): number | null {
  let energy = 0;
  for (const x of frame) energy += x * x;
  if (Math.sqrt(energy / frame.length) < MIN_RMS) return null;
  const minLag = Math.floor(sampleRate / MAX_F0);
  const maxLag = Math.min(frame.length - 1, Math.ceil(sampleRate / MIN_F0));
  let best = 0;
  let bestLag = 0;
  for (let lag = minLag; lag <= maxLag; lag++) {
    let sum = 0;
    let a = 0;
    let b = 0;
    for (let i = 0; i + lag < frame.length; i++) {
      sum += frame[i]! * frame[i + lag]!;
      a += frame[i]! * frame[i]!;
      b += frame[i + lag]! * frame[i + lag]!;
    }
    const r = a && b ? sum / Math.sqrt(a * b) : 0;
    // The first clear peak, not a later multiple of the period (an octave below).
    if (r > best + 0.05 || (r > best && lag < 2 * bestLag)) [best, bestLag] = [r, lag];
  }
  return best >= VOICED_CORRELATION ? sampleRate / bestLag : null;
}

/** Did the pitch of the last voiced frames rise above that of the frames before them? */
export function risingEnd(pitches: readonly (number | null)[]): boolean {
  const voiced = pitches.filter((p): p is number => p !== null);
  if (voiced.length < END_FRAMES + BEFORE_FRAMES / 2) return false;
  const end = voiced.slice(-END_FRAMES);
  const before = voiced.slice(-END_FRAMES - BEFORE_FRAMES, -END_FRAMES);
  return median(end) >= median(before) * RISE_RATIO;
}

/** The pitch of the most recent frames of the microphone, to ask at a pause whether the voice went up. */
export class IntonationTracker {
  readonly #pitches: (number | null)[] = [];
  readonly #keep: number;

  constructor(
    readonly sampleRate = 16000,
    keepFrames = 40,
  ) {
    this.#keep = keepFrames;
  }

  push(frame: Float32Array): void {
    this.#pitches.push(pitchOf(frame, this.sampleRate));
    if (this.#pitches.length > this.#keep) this.#pitches.shift();
  }

  /** Whether the speech just before now ended rising (the quiet frames of the pause are not voiced). */
  rising(): boolean {
    return risingEnd(this.#pitches);
  }
}
