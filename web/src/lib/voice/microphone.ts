// The microphone: permission, a level reading for the meter / voice activity detection, and
// MediaRecorder for the answer itself. Opened per answer (and while the coach speaks, for barge-in).
import { rms } from './vad';

export type MicProblem = 'denied' | 'missing' | 'unsupported' | 'busy' | 'failed';

export class MicError extends Error {
  readonly problem: MicProblem;
  constructor(problem: MicProblem, message: string) {
    super(message);
    this.name = 'MicError';
    this.problem = problem;
  }
}

/** The user-facing reason a microphone could not be opened. */
export function micError(err: unknown): MicError {
  if (err instanceof MicError) return err;
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MicError(
        'denied',
        'Microphone access is blocked for this site. Allow it in the browser’s site settings, or answer by text.',
      );
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MicError('missing', 'No microphone was found. Plug one in, or answer by text.');
    case 'NotReadableError':
    case 'AbortError':
      return new MicError(
        'busy',
        'The microphone is in use by another application or could not be started. Close it there, or answer by text.',
      );
    default:
      return new MicError(
        'failed',
        `The microphone could not be opened${err instanceof Error && err.message ? `: ${err.message}` : ''}. Answer by text instead.`,
      );
  }
}

/** The best container this browser records voice in (webm/opus in Chromium, mp4 in Safari). */
export function recordingType(): string {
  if (typeof MediaRecorder === 'undefined') return '';
  for (const t of ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'])
    if (MediaRecorder.isTypeSupported(t)) return t;
  return '';
}

/** What the voice session needs of an open microphone (a fake in unit tests). */
export interface MicInput {
  /** The RMS level of the latest ~40 ms of input, 0..1. */
  level(): number;
  /** Resumes the analyser after a gesture, if the browser held it suspended. */
  wake(): void;
  /** The analyser waits for a user gesture (autoplay policy): no level until `wake()` from one. */
  readonly suspended: boolean;
  /** Starts recording; `stop()` on the result ends it and gives the audio. */
  record(): Recording;
  close(): void;
}

export class Microphone implements MicInput {
  readonly stream: MediaStream;
  #ctx: AudioContext;
  #analyser: AnalyserNode;
  #buf: Float32Array<ArrayBuffer>;

  private constructor(stream: MediaStream) {
    this.stream = stream;
    this.#ctx = new AudioContext();
    const source = this.#ctx.createMediaStreamSource(stream);
    this.#analyser = this.#ctx.createAnalyser();
    this.#analyser.fftSize = 2048;
    source.connect(this.#analyser);
    this.#buf = new Float32Array(this.#analyser.fftSize);
  }

  /** Asks for the microphone; throws a MicError saying what went wrong. */
  static async open(): Promise<Microphone> {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia)
      throw new MicError(
        'unsupported',
        'This browser cannot record audio here (a secure https:// page is needed). Answer by text instead.',
      );
    if (typeof MediaRecorder === 'undefined')
      throw new MicError('unsupported', 'This browser cannot record audio. Answer by text instead.');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (err) {
      throw micError(err);
    }
    const mic = new Microphone(stream);
    // The context may start suspended without a user gesture, and then resume() waits for one.
    await Promise.race([mic.#ctx.resume().catch(() => {}), new Promise((r) => setTimeout(r, 300))]);
    return mic;
  }

  /** The RMS level of the latest ~40 ms of input, 0..1. */
  level(): number {
    this.#analyser.getFloatTimeDomainData(this.#buf);
    return rms(this.#buf);
  }

  get suspended(): boolean {
    return this.#ctx.state === 'suspended';
  }

  /** Resumes the analyser after a gesture, if the browser held it suspended. */
  wake(): void {
    if (this.#ctx.state === 'suspended') void this.#ctx.resume();
  }

  /** Starts recording; `stop()` on the result ends it and gives the audio. */
  record(): Recording {
    const type = recordingType();
    const recorder = new MediaRecorder(this.stream, type ? { mimeType: type } : undefined);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    };
    const done = new Promise<Blob>((resolve, reject) => {
      recorder.onstop = () => resolve(new Blob(chunks, { type: recorder.mimeType || type || 'audio/webm' }));
      recorder.onerror = () => reject(new Error('Recording failed'));
    });
    recorder.start(250);
    return {
      stop: () => {
        if (recorder.state !== 'inactive') recorder.stop();
        return done;
      },
    };
  }

  close(): void {
    for (const track of this.stream.getTracks()) track.stop();
    void this.#ctx.close().catch(() => {});
  }
}

export interface Recording {
  stop(): Promise<Blob>;
}
