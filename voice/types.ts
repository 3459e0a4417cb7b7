// The two seams of the voice path. Engines are chosen by env (ASR_PROVIDER, TTS_PROVIDER); everything
// above this file (workflow activities, API routes, benches) speaks only these types.

/** 16 kHz mono float32 samples in [-1, 1]: what every recogniser here is fed after ffmpeg. */
export interface Pcm16k {
  samples: Float32Array;
  sampleRate: 16000;
}

export interface TimedWord {
  word: string;
  /** Seconds from the start of the audio. */
  start: number;
  end: number;
}

export interface Transcript {
  text: string;
  /** Per-word timings when the engine gives them (whisper, pocketsphinx); empty otherwise. */
  words: TimedWord[];
  /** Length of the audio in seconds. */
  durationSec: number;
  /** Which engine produced it, e.g. "whisper-base (local)". */
  engine: string;
}

export interface AsrEngine {
  readonly name: string;
  transcribe(audio: Pcm16k): Promise<Transcript>;
  close(): Promise<void>;
}

/**
 * A piece of synthesised speech. Local engines give raw samples (the API wraps them in a streaming WAV);
 * an OpenAI-compatible endpoint gives an encoded file that is passed through as it arrives.
 */
export type SpeechChunk =
  | { kind: 'pcm'; samples: Float32Array; sampleRate: number }
  | { kind: 'encoded'; bytes: Buffer; contentType: string };

export interface TtsEngine {
  readonly name: string;
  /** Speaks the text sentence by sentence, so the first audio is ready before the last sentence is. */
  synthesize(text: string): AsyncIterable<SpeechChunk>;
  close(): Promise<void>;
}
