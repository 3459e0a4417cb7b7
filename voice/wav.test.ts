// The reader against the one writer (core/audio/pcm-wav.ts), the bytes the browser uploads.
import { describe, expect, it } from 'vitest';
import { encodeWav as browserWav } from '../core/audio/pcm-wav.js';
import { decodeWav, encodeWav, wavHeader } from './wav.js';

describe('WAV on the server', () => {
  it('reads back what the shared writer wrote: rate, one channel, 16-bit, each sample within two 16-bit steps', () => {
    const samples = Float32Array.from({ length: 4000 }, (_, i) => 0.7 * Math.sin(i / 9));
    const wav = decodeWav(Buffer.from(browserWav([samples.subarray(0, 128), samples.subarray(128)], 16_000)));
    expect({ rate: wav.sampleRate, channels: wav.channels, float: wav.float, n: wav.samples.length }).toEqual(
      {
        rate: 16_000,
        channels: 1,
        float: false,
        n: 4000,
      },
    );
    for (let i = 0; i < samples.length; i++)
      expect(Math.abs(wav.samples[i]! - samples[i]!)).toBeLessThan(2 / 32_768);
  });

  it('gives the same bytes as Buffers, and reads an open-ended (streamed) header to the end', () => {
    const samples = Float32Array.of(0, 0.25, -0.25, 1);
    expect(encodeWav(samples, 22_050)).toEqual(Buffer.from(browserWav(samples, 22_050)));
    const streamed = Buffer.concat([wavHeader(22_050), encodeWav(samples, 22_050).subarray(44)]);
    expect(decodeWav(streamed).samples).toHaveLength(4);
  });
});
