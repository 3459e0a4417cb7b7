// What the page and the recorder's AudioWorklet (pcm-worklet.ts) say to each other over the node's port.
// Its own module so both import it without the page importing the worklet or the worklet the page.

/** The name the processor is registered under (AudioWorkletNode's second argument). */
export const PCM_PROCESSOR = 'pcm-capture';

/** Page to worklet: the answer ended; send what is left and stop. */
export type ToWorklet = { type: 'stop' };

/**
 * Worklet to page: 16 kHz mono samples as they are ready (their buffer is transferred, not copied), then
 * `end` once after `stop`, when nothing more will come.
 */
export type FromWorklet = { type: 'pcm'; samples: Float32Array<ArrayBuffer> } | { type: 'end' };
