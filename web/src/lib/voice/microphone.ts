// The microphone: permission, a level reading for the meter / voice activity detection, and the
// recording of the answer itself (recording.ts). Opened per answer (and while the coach speaks, for
// barge-in).
import { mediaRecording, pcmRecording, type Recording } from './recording';
import { rms } from './vad';
import { VAD_PROCESSOR } from './vad-protocol';

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
  /**
   * Sends the input to `onFrame` as 512-sample frames at 16 kHz, as they are heard (for the speech
   * detector); the result stops it. Null where the browser cannot (no AudioWorklet): then the detector
   * goes by `level()`.
   */
  listen?(onFrame: (frame: Float32Array) => void): (() => void) | null;
  close(): void;
}

/**
 * How answers are recorded: `pcm` (an AudioWorklet writes a 16 kHz WAV: what the server reads without
 * ffmpeg) wherever the browser has AudioWorklet and its module loaded; `media-recorder` (WebM/Opus, Ogg or
 * MP4, which the server decodes with ffmpeg) only where it has not.
 */
type Capture = 'pcm' | 'media-recorder';

/** The recorder's processor, bundled on its own by Vite; loaded only when a microphone opens. */
const workletUrl = async (): Promise<string> => (await import('./pcm-worklet.ts?worker&url')).default;
/** The speech detector's processor (vad-worklet.ts), likewise. */
const vadWorkletUrl = async (): Promise<string> => (await import('./vad-worklet.ts?worker&url')).default;

export class Microphone implements MicInput {
  readonly stream: MediaStream;
  #ctx: AudioContext;
  #source: MediaStreamAudioSourceNode;
  #analyser: AnalyserNode;
  #buf: Float32Array<ArrayBuffer>;
  #capture: Capture = 'media-recorder';
  #vadFrames = false;

  private constructor(stream: MediaStream) {
    this.stream = stream;
    this.#ctx = new AudioContext();
    this.#source = this.#ctx.createMediaStreamSource(stream);
    this.#analyser = this.#ctx.createAnalyser();
    this.#analyser.fftSize = 2048;
    this.#source.connect(this.#analyser);
    this.#buf = new Float32Array(this.#analyser.fftSize);
  }

  /** Asks for the microphone; throws a MicError saying what went wrong. */
  static async open(): Promise<Microphone> {
    if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia)
      throw new MicError(
        'unsupported',
        'This browser cannot record audio here (a secure https:// page is needed). Answer by text instead.',
      );
    const worklet = typeof AudioWorkletNode !== 'undefined';
    if (!worklet && typeof MediaRecorder === 'undefined')
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
    if (worklet) mic.#capture = await mic.#loadWorklet();
    if (worklet) mic.#vadFrames = await mic.#loadVadWorklet();
    return mic;
  }

  /** `pcm` once the processor's module is in this context; MediaRecorder if it cannot be loaded. */
  async #loadWorklet(): Promise<Capture> {
    try {
      await this.#ctx.audioWorklet.addModule(await workletUrl());
      return 'pcm';
    } catch (err) {
      if (typeof MediaRecorder === 'undefined') {
        this.close();
        throw micError(err);
      }
      return 'media-recorder';
    }
  }

  /** Whether the speech detector's processor is in this context (else the detector goes by the level). */
  async #loadVadWorklet(): Promise<boolean> {
    try {
      await this.#ctx.audioWorklet.addModule(await vadWorkletUrl());
      return true;
    } catch {
      return false;
    }
  }

  listen(onFrame: (frame: Float32Array) => void): (() => void) | null {
    if (!this.#vadFrames) return null;
    const node = new AudioWorkletNode(this.#ctx, VAD_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 0,
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    node.port.onmessage = (e: MessageEvent<Float32Array>) => onFrame(e.data);
    this.#source.connect(node);
    return () => {
      node.port.onmessage = null;
      node.port.postMessage('stop');
      try {
        this.#source.disconnect(node);
      } catch {
        // already disconnected (the context closed)
      }
      node.port.close();
    };
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

  /**
   * Starts recording; `stop()` on the result ends it and gives the audio: a WAV from the worklet, or
   * MediaRecorder's file where there is no worklet. Also MediaRecorder while the context is held suspended
   * (no click on the page yet): the worklet would hear nothing until the click, MediaRecorder records the
   * stream regardless, so no words are lost (and the server then needs ffmpeg for that one answer).
   */
  record(): Recording {
    const held = this.#ctx.state !== 'running' && typeof MediaRecorder !== 'undefined';
    return this.#capture === 'pcm' && !held
      ? pcmRecording(this.#ctx, this.#source)
      : mediaRecording(this.stream);
  }

  close(): void {
    for (const track of this.stream.getTracks()) track.stop();
    void this.#ctx.close().catch(() => {});
  }
}
