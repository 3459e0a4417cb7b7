// What the page and the speech detector's AudioWorklet (vad-worklet.ts) agree on. Its own module so the
// page never imports the worklet (which registers itself on import).

/** The name the processor is registered under (AudioWorkletNode's second argument). */
export const VAD_PROCESSOR = 'vad-frames';

/**
 * Worklet to page: each message is one Float32Array of 512 samples at 16 kHz (a Silero v5 frame), its
 * buffer transferred. Page to worklet: any message stops it.
 */
export const VAD_FRAME = 512;
