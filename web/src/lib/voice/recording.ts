// How an answer is recorded once the microphone is open: as 16 kHz 16-bit PCM WAV captured by an
// AudioWorklet (the server reads it in process, no ffmpeg), or, where the browser has no AudioWorklet, by
// MediaRecorder in the browser's own container (WebM/Opus, Ogg, MP4), which the server needs ffmpeg for.
import { encodeWav } from '../../../../core/audio/pcm-wav.js';
import { SPEECH_SAMPLE_RATE } from '../../../../core/audio/resample.js';
import { PCM_PROCESSOR, type FromWorklet, type ToWorklet } from './pcm-protocol';

/** An answer being recorded; `stop()` ends it and gives the audio file to upload. */
export interface Recording {
  stop(): Promise<Blob>;
  /**
   * PCM recordings only (the answer can then be streamed): the audio since the previous cut, or the start,
   * as a 16 kHz WAV, while the recording goes on; after `stop()` has resolved, the rest. Null when no
   * sample arrived since.
   */
  cut?(): Blob | null;
}

/** The page's end of the worklet's port (a fake in unit tests). */
export interface PcmPort {
  onmessage: ((e: MessageEvent<FromWorklet>) => void) | null;
  postMessage(message: ToWorklet): void;
}

/**
 * How long `stop()` waits for the worklet's last samples. The worklet answers within one render quantum
 * while its context runs; a context that was suspended or closed meanwhile never answers, and then the
 * answer is what arrived so far rather than a recorder that never stops.
 */
const END_TIMEOUT_MS = 1000;

/**
 * Collects the worklet's 16 kHz samples from `port`; `stop()` asks for the rest and resolves with one WAV
 * of all of them. `onEnd` runs once, when nothing more will be read (to disconnect the node).
 */
export function collectPcm(
  port: PcmPort,
  { onEnd = () => {}, timeoutMs = END_TIMEOUT_MS }: { onEnd?: () => void; timeoutMs?: number } = {},
): Recording {
  const chunks: Float32Array[] = [];
  let cutAt = 0;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));
  port.onmessage = (e) => {
    if (e.data.type === 'pcm') chunks.push(e.data.samples);
    else finish();
  };
  let result: Promise<Blob> | null = null;
  return {
    cut: () => {
      const part = chunks.slice(cutAt);
      cutAt = chunks.length;
      return part.length ? new Blob([encodeWav(part, SPEECH_SAMPLE_RATE)], { type: 'audio/wav' }) : null;
    },
    stop: () => {
      result ??= (async () => {
        port.postMessage({ type: 'stop' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([ended, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
        port.onmessage = null;
        onEnd();
        return new Blob([encodeWav(chunks, SPEECH_SAMPLE_RATE)], { type: 'audio/wav' });
      })();
      return result;
    },
  };
}

/** Records `source` through the PCM worklet (its module already added to `ctx.audioWorklet`). */
export function pcmRecording(ctx: AudioContext, source: MediaStreamAudioSourceNode): Recording {
  const node = new AudioWorkletNode(ctx, PCM_PROCESSOR, {
    numberOfInputs: 1,
    // No output: the browser pulls a node without outputs by itself, and nothing reaches the speakers.
    numberOfOutputs: 0,
    // One channel, mixed down by the browser: the recogniser takes mono.
    channelCount: 1,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
  });
  const recording = collectPcm(node.port, {
    onEnd: () => {
      source.disconnect(node);
      node.port.close();
    },
  });
  source.connect(node);
  return recording;
}

/** The best container this browser's MediaRecorder records voice in (webm/opus in Chromium, mp4 in Safari). */
export function recordingType(): string {
  if (typeof MediaRecorder === 'undefined') return '';
  for (const t of ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'])
    if (MediaRecorder.isTypeSupported(t)) return t;
  return '';
}

/** Records `stream` with MediaRecorder: the fallback where there is no AudioWorklet. */
export function mediaRecording(stream: MediaStream): Recording {
  const type = recordingType();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
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
