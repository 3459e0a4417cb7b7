// When an answer is over. Pure: fed "is this speech?" per frame (from the speech detector), the live
// transcript so far and the "I'm thinking" hold, with times in ms, so every rule is unit-tested without a
// microphone. The rules, in the order people asked for them:
// - silence of at least the candidate's setting after speech ends the answer;
// - if the transcript so far ends mid-sentence ("…and", "…because", "um", a comma), or the voice rose into
//   the pause (intonation.ts), the candidate is probably still forming the thought: the silence needed
//   doubles, bounded, rather than cutting them off — but only a transcript of all that was said: once a
//   newer segment has been cut (and is still being transcribed), or more than a second of speech has been
//   heard since the transcript arrived, its last word says nothing about the end;
// - while the candidate holds the turn ("I'm thinking", or the hold key), the silence clock stops, and
//   on release the full silence starts again from zero.
import type { VadState } from './vad';

/**
 * Words that leave a sentence open: conjunctions, relatives, a dangling article or preposition, fillers.
 * A transcript ending in one of them (or a comma, a dash, an ellipsis) does not sound finished.
 */
const OPEN_ENDINGS = new Set(
  (
    'and so because but or nor which that who whom whose where when while if then than ' +
    'although though since unless until as like whereas ' +
    'the a an my our their your his her its this these those ' +
    'to of in on at for with from by about into over under between through ' +
    'um uh er erm hmm ah mm'
  ).split(' '),
);

/**
 * Does the last sentence of `text` sound unfinished? True after an open ending word or a trailing comma,
 * dash or ellipsis ("…three stages, and", "…because um"); false after a full stop, question or exclamation
 * mark, and false for an empty transcript (nothing to go on: the plain silence rule applies).
 */
export function soundsUnfinished(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  if (/(\.\.\.|…|[,;:\-–—])["'”’)\]]*$/.test(t)) return true;
  if (/[.!?]["'”’)\]]*$/.test(t)) return false;
  // The last word, numbers included: "…fell by 40%" ends on "40%", not on "by".
  const last = t.toLowerCase().match(/([a-z0-9'%$.,]*[a-z0-9'%$])[^a-z0-9'%$]*$/)?.[1];
  return last !== undefined && OPEN_ENDINGS.has(last);
}

/**
 * Speech heard after the live transcript arrived beyond which its last word is no longer the answer's: a
 * transcript arrives a moment after its segment, so a little speech after it is still its own tail.
 */
export const STALE_TRANSCRIPT_SPEECH_MS = 1000;

/** How much longer an unfinished sentence waits: twice the setting, but at most this much more. */
export const UNFINISHED_FACTOR = 2;
export const UNFINISHED_MAX_EXTRA_MS = 3000;

/** The silence that ends an answer whose last sentence is finished or not. */
export function silenceNeededMs(silenceMs: number, unfinished: boolean): number {
  if (!unfinished) return silenceMs;
  return Math.min(silenceMs * UNFINISHED_FACTOR, silenceMs + UNFINISHED_MAX_EXTRA_MS);
}

export interface EndOfTurnOptions {
  /** The candidate's setting: how long a silence after speech ends the answer. */
  silenceMs: number;
  /**
   * Speech must last this long to start the answer (a click or a cough does not). The detectors already
   * smooth their verdicts, so this is short.
   */
  minSpeechMs?: number;
}

/**
 * One answer's turn: `waiting` for speech, `speaking`, `pausing` (quiet, not yet long enough), `ended`.
 * Before any speech nothing ends the turn (the candidate may take their time to begin).
 */
export class EndOfTurn {
  readonly silenceMs: number;
  readonly minSpeechMs: number;
  state: VadState = 'waiting';
  /** Total speech heard, in ms. */
  speechMs = 0;
  #transcript = '';
  /** Speech heard since the live transcript arrived. */
  #speechSinceTranscriptMs = 0;
  /** A segment was cut after the live transcript arrived: the transcript does not cover it. */
  #cutSinceTranscript = false;
  /** Segments of this answer cut and sent so far. */
  #cuts = 0;
  /** The voice rose into the current pause (told at the pause; forgotten when speech resumes). */
  #rising = false;
  #held = false;
  #speechSince: number | null = null;
  #quietSince: number | null = null;
  #lastT: number | null = null;

  constructor(options: EndOfTurnOptions) {
    this.silenceMs = options.silenceMs;
    this.minSpeechMs = options.minSpeechMs ?? 100;
  }

  /**
   * The live transcript so far (`partial: true` events); the latest replaces the previous. `segments`: how
   * many of the answer's segments it covers, where the server says. A slow recogniser can deliver an
   * earlier segment's transcript after later ones were cut: its last word is then not the answer's.
   */
  transcript(text: string, segments?: number): void {
    this.#transcript = text;
    this.#speechSinceTranscriptMs = 0;
    this.#cutSinceTranscript = segments !== undefined && segments < this.#cuts;
  }

  /** The answer so far was cut and sent as a segment: until its transcript arrives, the one in hand is older. */
  cut(): void {
    this.#cuts++;
    this.#cutSinceTranscript = true;
  }

  /** Whether the voice rose into the pause that just began. */
  intonation(rising: boolean): void {
    this.#rising = rising;
  }

  /** Does the answer so far end mid-sentence, by its voice or by the words of a transcript still current? */
  get unfinished(): boolean {
    const current = !this.#cutSinceTranscript && this.#speechSinceTranscriptMs <= STALE_TRANSCRIPT_SPEECH_MS;
    return this.#rising || (current && soundsUnfinished(this.#transcript));
  }

  /** The silence that would end the answer now. */
  get silenceNeededMs(): number {
    return silenceNeededMs(this.silenceMs, this.unfinished);
  }

  get held(): boolean {
    return this.#held;
  }

  /** The candidate holds the turn (true) or lets it go (false) at time `t`. */
  hold(on: boolean, t: number): void {
    if (this.#held === on) return;
    this.#held = on;
    // The clock restarts on release: a thought that took long is followed by the full silence again. A rise
    // heard before the hold has had its extra time: the plain setting (or the words) decide from here.
    if (!on && this.#quietSince !== null) this.#quietSince = t;
    if (!on) this.#rising = false;
  }

  /** Feed one verdict at time `t` (ms); returns the new state. */
  update(speech: boolean, t: number): VadState {
    const dt = this.#lastT === null ? 0 : Math.max(0, t - this.#lastT);
    this.#lastT = t;
    if (this.state === 'ended') return this.state;
    const started = this.state === 'speaking' || this.state === 'pausing';
    if (speech) {
      this.#quietSince = null;
      this.#rising = false;
      this.#speechSinceTranscriptMs += dt;
      this.#speechSince ??= t;
      if (started) {
        this.speechMs += dt;
        this.state = 'speaking';
      } else if (t - this.#speechSince >= this.minSpeechMs) {
        this.speechMs = t - this.#speechSince;
        this.state = 'speaking';
      }
      return this.state;
    }
    this.#speechSince = null;
    if (!started) return this.state;
    if (this.#held) {
      this.#quietSince = t;
      this.state = 'pausing';
      return this.state;
    }
    this.#quietSince ??= t;
    this.state = t - this.#quietSince >= this.silenceNeededMs ? 'ended' : 'pausing';
    return this.state;
  }
}
