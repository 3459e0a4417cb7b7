// How an answer is recorded once the microphone is open: as 16 kHz 16-bit PCM WAV captured by an
// AudioWorklet (the server reads it in process, no ffmpeg), or, where the browser has no AudioWorklet, by
// MediaRecorder in the browser's own container (WebM/Opus, Ogg, MP4), which the server needs ffmpeg for.
import { encodeWav } from '../../../../core/audio/pcm-wav.js';
import { concatSamples } from '../../../../core/audio/samples.js';
import { SPEECH_SAMPLE_RATE } from '../../../../core/audio/resample.js';
import { PCM_PROCESSOR, type FromWorklet, type ToWorklet } from './pcm-protocol';

/** An answer being recorded; `stop()` ends it and gives the audio file to upload. */
export interface Recording {
  stop(): Promise<Blob>;
  /**
   * PCM recordings only (the answer can then be streamed): the audio since the previous cut, or the start,
   * as a 16 kHz WAV, while the recording goes on, up to the middle of the pause in its last second (see
   * cutPoint); after `stop()` has resolved, the rest. Null when there is nothing to send.
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
 * How far back a cut looks for the pause it was made at. The speech detector hears a pause only after it
 * has lasted a while (and a loaded machine runs it late), so by then the candidate may have begun the next
 * word: cutting at the newest sample clipped it, and whisper read the segment's "the rollout" as "Merow out".
 */
const CUT_LOOKBACK_SAMPLES = SPEECH_SAMPLE_RATE;
/** The unit of loudness a cut compares: 20 ms, shorter than any pause worth cutting at. */
const QUIET_WINDOW_SAMPLES = SPEECH_SAMPLE_RATE / 50;
/** A window is quiet at a tenth of the loudest window's energy (-10 dB) or less. */
const QUIET_RATIO = 0.1;

/**
 * Where to cut `samples` within its last second: the middle of the longest quiet stretch there (within
 * twice the quietest window's energy), or the end when the tail has no quiet stretch (speech went on
 * without a pause, or the tail is shorter than a window).
 */
export function cutPoint(samples: Float32Array): number {
  const W = QUIET_WINDOW_SAMPLES;
  const step = W / 2;
  const from = Math.max(0, samples.length - CUT_LOOKBACK_SAMPLES);
  const energies: number[] = [];
  for (let start = from; start + W <= samples.length; start += step) {
    let e = 0;
    for (let i = start; i < start + W; i++) e += samples[i]! * samples[i]!;
    energies.push(e);
  }
  if (energies.length === 0) return samples.length;
  const loudest = Math.max(...energies);
  const quietest = Math.min(...energies);
  if (quietest > loudest * QUIET_RATIO) return samples.length;
  const quiet = (e: number) => e <= quietest * 2 + Number.EPSILON;
  let best = { start: 0, length: 0 };
  for (let i = 0; i < energies.length;) {
    if (!quiet(energies[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < energies.length && quiet(energies[j]!)) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  // The run's windows span from its first window's start to its last window's end.
  const runStart = from + best.start * step;
  const runEnd = from + (best.start + best.length - 1) * step + W;
  return Math.round((runStart + runEnd) / 2);
}

/**
 * Collects the worklet's 16 kHz samples from `port`; `stop()` asks for the rest and resolves with one WAV
 * of all of them. `onEnd` runs once, when nothing more will be read (to disconnect the node).
 */
export function collectPcm(
  port: PcmPort,
  { onEnd = () => {}, timeoutMs = END_TIMEOUT_MS }: { onEnd?: () => void; timeoutMs?: number } = {},
): Recording {
  const chunks: Float32Array[] = [];
  /** The samples since the previous cut. */
  let pending: Float32Array[] = [];
  let stopped = false;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => (finish = resolve));
  port.onmessage = (e) => {
    if (e.data.type === 'pcm') {
      chunks.push(e.data.samples);
      pending.push(e.data.samples);
    } else finish();
  };
  let result: Promise<Blob> | null = null;
  return {
    cut: () => {
      const since = concatSamples(pending);
      // While recording, at the pause just heard; once stopped, all the rest.
      const at = stopped ? since.length : cutPoint(since);
      pending = at < since.length ? [since.slice(at)] : [];
      return at > 0
        ? new Blob([encodeWav(since.subarray(0, at), SPEECH_SAMPLE_RATE)], { type: 'audio/wav' })
        : null;
    },
    stop: () => {
      result ??= (async () => {
        port.postMessage({ type: 'stop' });
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([ended, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
        port.onmessage = null;
        stopped = true;
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
