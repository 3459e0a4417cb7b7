// The one WAV writer: 16-bit PCM mono, laid out here once for the browser's recorder (the answer it
// uploads) and the server's speech (voice/wav.ts wraps these bytes in Buffers for TTS and the ASR engines
// that take files). Plain typed arrays and no Node module, so the browser bundle and an AudioWorklet can
// import it. The reader is voice/wav.ts `decodeWav` (server only: it also reads float and multichannel).

export const WAV_HEADER_BYTES = 44;

/**
 * The RIFF and data sizes of a stream whose length is not known yet: the largest 32-bit value, as ffmpeg
 * itself writes when its WAV output is a pipe. Readers take it as "until the end of the stream".
 */
export const OPEN_ENDED = 0xffffffff;

const BYTES_PER_SAMPLE = 2;

function ascii(view: DataView, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(at + i, text.charCodeAt(i));
}

/** A 44-byte header for mono 16-bit PCM; without `dataBytes` the length is left open (streaming). */
export function wavHeader(sampleRate: number, dataBytes?: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(WAV_HEADER_BYTES);
  writeHeader(new DataView(out.buffer), sampleRate, dataBytes);
  return out;
}

function writeHeader(view: DataView, sampleRate: number, dataBytes: number | undefined): void {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`bad sample rate ${sampleRate}`);
  ascii(view, 0, 'RIFF');
  view.setUint32(4, dataBytes === undefined ? OPEN_ENDED : 36 + dataBytes, true);
  ascii(view, 8, 'WAVE');
  ascii(view, 12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * BYTES_PER_SAMPLE, true); // byte rate
  view.setUint16(32, BYTES_PER_SAMPLE, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(view, 36, 'data');
  view.setUint32(40, dataBytes ?? OPEN_ENDED, true);
}

/** Writes float samples in [-1, 1] as 16-bit PCM into `out` from sample `at`; values outside are clipped. */
function writePcm16(out: Int16Array, at: number, samples: Float32Array): void {
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[at + i] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
  }
}

/**
 * Float samples in [-1, 1] as little-endian 16-bit PCM bytes. Written through an Int16Array view (about
 * ten times faster than a DataView per sample): every platform a browser or Node runs on here is
 * little-endian.
 */
export function pcm16(samples: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Int16Array(samples.length);
  writePcm16(out, 0, samples);
  return new Uint8Array(out.buffer);
}

/** A complete WAV file of `samples` (one run, or consecutive chunks as a recorder collects them). */
export function encodeWav(
  samples: Float32Array | readonly Float32Array[],
  sampleRate: number,
): Uint8Array<ArrayBuffer> {
  const chunks = samples instanceof Float32Array ? [samples] : samples;
  const count = chunks.reduce((n, c) => n + c.length, 0);
  const dataBytes = count * BYTES_PER_SAMPLE;
  const out = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  writeHeader(new DataView(out.buffer), sampleRate, dataBytes);
  // The header's 44 bytes keep the samples 2-byte aligned, so one view covers them all.
  const pcm = new Int16Array(out.buffer, WAV_HEADER_BYTES, count);
  let at = 0;
  for (const chunk of chunks) {
    writePcm16(pcm, at, chunk);
    at += chunk.length;
  }
  return out;
}
