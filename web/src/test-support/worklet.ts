// An AudioWorklet processor outside a browser: the AudioWorkletGlobalScope it expects (sampleRate,
// AudioWorkletProcessor, registerProcessor) is stood in for, so a test plays the audio thread (process()) and
// the page (the port).
import { vi } from 'vitest';

/** The processor's port as the page sees it: what it posted, and a way to send it a message. */
export class FakePort<In, Out> {
  onmessage: ((e: { data: In }) => void) | null = null;
  readonly posted: Out[] = [];
  postMessage(message: Out) {
    this.posted.push(message);
  }
  /** The page sends `message`. */
  send(message: In) {
    this.onmessage?.({ data: message });
  }
}

export interface WorkletProcessor<In, Out> {
  port: FakePort<In, Out>;
  process(inputs: Float32Array[][]): boolean;
}

/**
 * Imports a worklet module into the stood-in scope and returns the processor it registered as `name`.
 * Call vi.unstubAllGlobals() after the tests.
 */
export async function loadWorklet<In, Out>(
  load: () => Promise<unknown>,
  name: string,
  sampleRate = 48_000,
): Promise<new () => WorkletProcessor<In, Out>> {
  const registered = new Map<string, new () => WorkletProcessor<In, Out>>();
  vi.stubGlobal('sampleRate', sampleRate);
  vi.stubGlobal(
    'AudioWorkletProcessor',
    class {
      port = new FakePort<In, Out>();
    },
  );
  vi.stubGlobal('registerProcessor', (n: string, processor: new () => WorkletProcessor<In, Out>) =>
    registered.set(n, processor),
  );
  await load();
  const processor = registered.get(name);
  if (!processor) throw new Error(`the worklet module registered no processor named ${name}`);
  return processor;
}
