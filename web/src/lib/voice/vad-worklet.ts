// The speech detector's AudioWorklet processor: on the audio thread, it downsamples the microphone to
// 16 kHz and posts every 512 samples (32 ms, one Silero frame) to the page at once, so speech is judged
// as soon as it is heard (barge-in has 150 ms in all). Separate from the recorder's worklet
// (pcm-worklet.ts), which batches 100 ms for the upload and runs only while an answer is recorded; this
// one also listens while the coach speaks. Bundled on its own by Vite (`?worker&url`).
import { Resampler, SPEECH_SAMPLE_RATE } from '../../../../core/audio/resample.js';
import { VAD_FRAME as FRAME, VAD_PROCESSOR } from './vad-protocol';

interface WorkletScope {
  readonly sampleRate: number;
  readonly AudioWorkletProcessor: new () => { readonly port: MessagePort };
  registerProcessor(name: string, processor: new () => unknown): void;
}
const scope = globalThis as unknown as WorkletScope;

class VadFrames extends scope.AudioWorkletProcessor {
  readonly #resampler = new Resampler(scope.sampleRate, SPEECH_SAMPLE_RATE);
  #frame = new Float32Array(FRAME);
  #filled = 0;
  #stopped = false;

  constructor() {
    super();
    this.port.onmessage = () => (this.#stopped = true);
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.#stopped) return false;
    const mono = inputs[0]?.[0];
    if (!mono) return true;
    const samples = this.#resampler.push(mono);
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(FRAME - this.#filled, samples.length - at);
      this.#frame.set(samples.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === FRAME) {
        const frame = this.#frame;
        this.port.postMessage(frame, [frame.buffer]);
        this.#frame = new Float32Array(FRAME);
        this.#filled = 0;
      }
    }
    return true;
  }
}

scope.registerProcessor(VAD_PROCESSOR, VadFrames);
