// 16-bit PCM mono WAV: a whole-file encoder (for caching and tests), a streaming writer (header first with
// an open-ended length, then PCM as each sentence is ready) for chunked HTTP responses, and a decoder.
import type { SpeechChunk } from './types.js';

const HEADER_BYTES = 44;
/**
 * The RIFF and data sizes of a stream whose length is not known yet: the largest 32-bit value, as ffmpeg
 * itself writes when its WAV output is a pipe. Readers take it as "until the end of the stream".
 */
const OPEN_ENDED = 0xffffffff;

/** Float samples in [-1, 1] as little-endian 16-bit PCM; values outside are clipped. */
export function pcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  // A typed view is ~10x faster than writeInt16LE per sample; every platform Node runs here is little-endian.
  const view = new Int16Array(out.buffer, out.byteOffset, samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    view[i] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
  }
  return out;
}

/** A 44-byte header for mono 16-bit PCM; without `dataBytes` the length is left open (streaming). */
export function wavHeader(sampleRate: number, dataBytes?: number): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new Error(`bad sample rate ${sampleRate}`);
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(dataBytes === undefined ? OPEN_ENDED : 36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28); // byte rate
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes ?? OPEN_ENDED, 40);
  return h;
}

/** A complete WAV file of `samples`. */
export function encodeWav(samples: Float32Array, sampleRate: number): Buffer {
  const data = pcm16(samples);
  return Buffer.concat([wavHeader(sampleRate, data.length), data]);
}

/**
 * The bytes of one streaming WAV for a run of PCM speech chunks: the open-ended header as soon as the
 * first chunk arrives (its sample rate is the stream's), then each chunk's PCM as it is ready. Encoded
 * chunks (an OpenAI-compatible endpoint's file) cannot be wrapped; the caller passes those through.
 */
export async function* streamWav(speech: AsyncIterable<SpeechChunk>): AsyncGenerator<Buffer> {
  let sampleRate: number | undefined;
  for await (const chunk of speech) {
    if (chunk.kind !== 'pcm') throw new Error(`cannot wrap ${chunk.contentType} speech in a WAV stream`);
    if (sampleRate === undefined) {
      sampleRate = chunk.sampleRate;
      yield wavHeader(sampleRate);
    } else if (chunk.sampleRate !== sampleRate) {
      throw new Error(`speech changed sample rate mid-stream (${sampleRate} -> ${chunk.sampleRate})`);
    }
    if (chunk.samples.length) yield pcm16(chunk.samples);
  }
}

export interface DecodedWav {
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  /** 32-bit float samples rather than 16-bit PCM. */
  float: boolean;
}

/** A WAV whose samples are neither 16-bit PCM nor 32-bit float (another decoder may still read it). */
export class UnsupportedWav extends Error {}

/**
 * Reads a 16-bit PCM or 32-bit float WAV (any channel count; channels are averaged to mono). An open-ended or overlong
 * data size (a streamed file, espeak-ng's --stdout) means "to the end of the buffer".
 */
export function decodeWav(wav: Buffer): DecodedWav {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a WAV file');
  let pos = 12;
  let format: { channels: number; sampleRate: number; bits: number; codec: number } | undefined;
  while (pos + 8 <= wav.length) {
    const id = wav.toString('ascii', pos, pos + 4);
    const size = wav.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      format = {
        codec: wav.readUInt16LE(body),
        channels: wav.readUInt16LE(body + 2),
        sampleRate: wav.readUInt32LE(body + 4),
        bits: wav.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data before its fmt chunk');
      const pcm = format.codec === 1 && format.bits === 16;
      const float = format.codec === 3 && format.bits === 32;
      if ((!pcm && !float) || format.channels < 1)
        throw new UnsupportedWav(`unsupported WAV encoding (codec ${format.codec}, ${format.bits} bits)`);
      const end = Math.min(wav.length, body + size);
      const width = format.bits / 8;
      const frameBytes = width * format.channels;
      const frames = Math.floor((end - body) / frameBytes);
      const samples = new Float32Array(frames);
      for (let f = 0; f < frames; f++) {
        let sum = 0;
        for (let c = 0; c < format.channels; c++) {
          const at = body + f * frameBytes + c * width;
          sum += pcm ? wav.readInt16LE(at) / 0x8000 : wav.readFloatLE(at);
        }
        samples[f] = sum / format.channels;
      }
      return { samples, sampleRate: format.sampleRate, channels: format.channels, float };
    }
    pos = body + size + (size % 2);
  }
  throw new Error('WAV file has no data chunk');
}

/**
 * `samples` at `to` Hz, by linear interpolation (what the recogniser needs from a browser's 44.1 or 48 kHz
 * capture; speech has little above 8 kHz, so the aliasing a plain interpolation allows is inaudible to it).
 */
export function resample(samples: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return samples;
  const out = new Float32Array(Math.floor((samples.length * to) / from));
  const step = from / to;
  for (let i = 0; i < out.length; i++) {
    const at = i * step;
    const j = Math.floor(at);
    const next = samples[Math.min(j + 1, samples.length - 1)]!;
    out[i] = samples[j]! + (next - samples[j]!) * (at - j);
  }
  return out;
}
