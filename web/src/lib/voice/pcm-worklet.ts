// The recorder's AudioWorklet processor: it runs on the audio thread, so capture keeps pace however busy
// the page is. The node is given one channel (the browser mixes the microphone down to mono before
// `process`); each 128-frame block at the context's rate (44.1 or 48 kHz) is downsampled to 16 kHz here
// and posted to the page about every 100 ms, where it becomes the WAV that is uploaded (pcm-recording.ts).
// Bundled on its own by Vite (`?worker&url`): it may import only what runs without a window.
import { Resampler, SPEECH_SAMPLE_RATE } from '../../../../core/audio/resample.js';
import { PCM_PROCESSOR, type FromWorklet, type ToWorklet } from './pcm-protocol';

/** The AudioWorkletGlobalScope this file runs in (TypeScript's DOM library does not describe it). */
interface WorkletScope {
  /** The context's sample rate. */
  readonly sampleRate: number;
  readonly AudioWorkletProcessor: new () => { readonly port: MessagePort };
  registerProcessor(name: string, processor: new () => unknown): void;
}
const scope = globalThis as unknown as WorkletScope;

/** About 100 ms of output per message: few messages, and little held back when the answer ends. */
const CHUNK_SAMPLES = SPEECH_SAMPLE_RATE / 10;

class PcmCapture extends scope.AudioWorkletProcessor {
  readonly #resampler = new Resampler(scope.sampleRate, SPEECH_SAMPLE_RATE);
  #pending: Float32Array[] = [];
  #pendingSamples = 0;
  #stopped = false;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<ToWorklet>) => {
      if (e.data.type === 'stop') this.#stop();
    };
  }

  /** Returning false lets the browser drop the processor once the answer has ended. */
  process(inputs: Float32Array[][]): boolean {
    if (this.#stopped) return false;
    // No channel while the input is not (or no longer) connected: nothing to capture in this block.
    const mono = inputs[0]?.[0];
    if (mono) this.#add(this.#resampler.push(mono));
    if (this.#pendingSamples >= CHUNK_SAMPLES) this.#send();
    return true;
  }

  #add(samples: Float32Array): void {
    if (!samples.length) return;
    this.#pending.push(samples);
    this.#pendingSamples += samples.length;
  }

  #send(): void {
    if (!this.#pendingSamples) return;
    const samples = new Float32Array(this.#pendingSamples);
    let at = 0;
    for (const part of this.#pending) {
      samples.set(part, at);
      at += part.length;
    }
    this.#pending = [];
    this.#pendingSamples = 0;
    this.#post({ type: 'pcm', samples }, [samples.buffer]);
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#add(this.#resampler.flush());
    this.#send();
    this.#post({ type: 'end' });
  }

  #post(message: FromWorklet, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }
}

scope.registerProcessor(PCM_PROCESSOR, PcmCapture);
