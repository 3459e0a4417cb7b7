// The Silero VAD v5 model (the .onnx file that ships in @ricky0123/vad-web) run by onnxruntime-web: the
// probability that each 32 ms frame of 16 kHz audio is speech. The same code runs in the browser and in
// Node (the unit tests feed it real speech), so it takes the runtime and the model's bytes as arguments;
// where they come from in the browser is speech-model.ts.
import type * as Ort from 'onnxruntime-web/wasm';

/** Silero v5 reads 512 samples (32 ms at 16 kHz) per call. */
export const SILERO_FRAME = 512;
/**
 * The tail of the previous frame the model sees in front of each new one, so an onset straddling two frames
 * is seen whole (64 samples at 16 kHz, as `OnnxWrapper.__call__` in silero-vad's utils_vad.py, and
 * @ricky0123/vad-web's Silero class, do).
 */
const CONTEXT = 64;
const STATE_SHAPE = [2, 1, 128];

/** What the speech detector needs of a model: a speech probability per frame, in order. */
export interface SpeechModel {
  /** The probability (0..1) that `frame` (SILERO_FRAME samples at 16 kHz) is speech. */
  probability(frame: Float32Array): Promise<number>;
  /** Forget the audio so far (a new, unrelated stream follows). */
  reset(): void;
}

export class Silero implements SpeechModel {
  readonly #ort: typeof Ort;
  readonly #session: Ort.InferenceSession;
  readonly #sr: Ort.Tensor;
  #state: Ort.Tensor;
  #context = new Float32Array(CONTEXT);
  /** One run at a time: the state passes from each frame to the next, and a session runs one call at once. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(ort: typeof Ort, session: Ort.InferenceSession) {
    this.#ort = ort;
    this.#session = session;
    this.#sr = new ort.Tensor('int64', BigInt64Array.from([16000n]), []);
    this.#state = this.#zeroState();
  }

  /** Loads the model (`silero_vad_v5.onnx`'s bytes) into a session of the single-threaded wasm backend. */
  static async create(ort: typeof Ort, model: ArrayBuffer | Uint8Array): Promise<Silero> {
    // One thread: threads need a cross-origin-isolated page, and one frame takes about a millisecond.
    ort.env.wasm.numThreads = 1;
    const bytes = model instanceof Uint8Array ? model : new Uint8Array(model);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    return new Silero(ort, session);
  }

  #zeroState(): Ort.Tensor {
    return new this.#ort.Tensor('float32', new Float32Array(2 * 128), STATE_SHAPE);
  }

  reset(): void {
    this.#state = this.#zeroState();
    this.#context = new Float32Array(CONTEXT);
  }

  probability(frame: Float32Array): Promise<number> {
    const result = this.#queue.then(() => this.#run(frame));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #run(frame: Float32Array): Promise<number> {
    if (frame.length !== SILERO_FRAME)
      throw new Error(`Silero reads ${SILERO_FRAME} samples per frame, not ${frame.length}`);
    const input = new Float32Array(CONTEXT + SILERO_FRAME);
    input.set(this.#context, 0);
    input.set(frame, CONTEXT);
    this.#context = frame.slice(-CONTEXT);
    const out = await this.#session.run({
      input: new this.#ort.Tensor('float32', input, [1, input.length]),
      state: this.#state,
      sr: this.#sr,
    });
    const state = out['stateN'];
    const p = out['output']?.data[0];
    if (!state || typeof p !== 'number') throw new Error('The Silero model gave no speech probability');
    this.#state = state;
    return p;
  }
}
