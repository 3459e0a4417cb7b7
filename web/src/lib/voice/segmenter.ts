// Where a streamed answer is cut: at the candidate's pauses, so each segment is whole words and can be
// transcribed while the answer goes on. Pure: fed the voice activity state (vad.ts) and the time, so the
// rule is unit-tested without a microphone.
import type { VadState } from './vad';

export interface SegmenterOptions {
  /** Quiet this long after speech is a pause to cut at (well under the silence that ends the answer). */
  pauseMs?: number;
  /**
   * Shorter segments wait for the next pause: a recogniser does better with a few words of context. Silero
   * hears the pause at a comma, and whisper base read a phrase cut there alone ("and median latency fell")
   * as "and Malayton's FL": 3 s keeps a clause with its sentence.
   */
  minSegmentMs?: number;
  /** Speech without any pause is cut anyway after this long, so the live transcript never falls far behind. */
  maxSegmentMs?: number;
}

export class PauseSegmenter {
  readonly pauseMs: number;
  readonly minSegmentMs: number;
  readonly maxSegmentMs: number;
  #segmentStart: number;
  #quietSince: number | null = null;
  #heardSpeech = false;

  constructor(start: number, options: SegmenterOptions = {}) {
    this.pauseMs = options.pauseMs ?? 300;
    this.minSegmentMs = options.minSegmentMs ?? 3000;
    this.maxSegmentMs = options.maxSegmentMs ?? 8000;
    this.#segmentStart = start;
  }

  /** Feed the state at time `t` (ms); true when the segment so far should be cut and sent now. */
  update(state: VadState, t: number): boolean {
    if (state === 'speaking') {
      this.#heardSpeech = true;
      this.#quietSince = null;
    } else {
      this.#quietSince ??= t;
    }
    if (!this.#heardSpeech) return false;
    const long = t - this.#segmentStart;
    const paused = this.#quietSince !== null && t - this.#quietSince >= this.pauseMs;
    if ((paused && long >= this.minSegmentMs) || long >= this.maxSegmentMs) {
      this.#segmentStart = t;
      this.#heardSpeech = false;
      return true;
    }
    return false;
  }
}
