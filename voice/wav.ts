// 16-bit PCM mono WAV on the server: the writer of core/audio/pcm-wav.ts (shared with the browser's
// recorder) as Buffers, a streaming writer (header first with an open-ended length, then PCM as each
// sentence is ready) for chunked HTTP responses, and the one reader (16-bit PCM or float, any channels).
import * as pcmWav from '../core/audio/pcm-wav.js';
import type { SpeechChunk } from './types.js';

export { resample } from '../core/audio/resample.js';

/** The shared writer's bytes as a Buffer (a view, not a copy). */
const asBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Float samples in [-1, 1] as little-endian 16-bit PCM; values outside are clipped. */
export const pcm16 = (samples: Float32Array): Buffer => asBuffer(pcmWav.pcm16(samples));

/** A 44-byte header for mono 16-bit PCM; without `dataBytes` the length is left open (streaming). */
export const wavHeader = (sampleRate: number, dataBytes?: number): Buffer =>
  asBuffer(pcmWav.wavHeader(sampleRate, dataBytes));

/** A complete WAV file of `samples`. */
export const encodeWav = (samples: Float32Array, sampleRate: number): Buffer =>
  asBuffer(pcmWav.encodeWav(samples, sampleRate));

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
