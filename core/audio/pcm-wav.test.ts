import { describe, expect, it } from 'vitest';
import { encodeWav, OPEN_ENDED, pcm16, WAV_HEADER_BYTES, wavHeader } from './pcm-wav.js';

const text = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

/** The header fields of a WAV, read back by offset (the layout every reader expects). */
function fields(wav: Uint8Array) {
  const v = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  return {
    riff: text(wav, 0, 4),
    riffSize: v.getUint32(4, true),
    wave: text(wav, 8, 12),
    fmt: text(wav, 12, 16),
    fmtSize: v.getUint32(16, true),
    codec: v.getUint16(20, true),
    channels: v.getUint16(22, true),
    sampleRate: v.getUint32(24, true),
    byteRate: v.getUint32(28, true),
    blockAlign: v.getUint16(32, true),
    bits: v.getUint16(34, true),
    data: text(wav, 36, 40),
    dataSize: v.getUint32(40, true),
  };
}

describe('the WAV writer', () => {
  it('writes a 44-byte mono 16-bit PCM header whose sizes count the samples', () => {
    const wav = encodeWav(new Float32Array(16_000), 16_000);
    expect(wav.byteLength).toBe(WAV_HEADER_BYTES + 32_000);
    expect(fields(wav)).toEqual({
      riff: 'RIFF',
      riffSize: 36 + 32_000,
      wave: 'WAVE',
      fmt: 'fmt ',
      fmtSize: 16,
      codec: 1,
      channels: 1,
      sampleRate: 16_000,
      byteRate: 32_000,
      blockAlign: 2,
      bits: 16,
      data: 'data',
      dataSize: 32_000,
    });
  });

  it('leaves the sizes open for a stream whose length is not known yet', () => {
    const header = wavHeader(22_050);
    expect(header.byteLength).toBe(44);
    expect(fields(header)).toMatchObject({ riffSize: OPEN_ENDED, dataSize: OPEN_ENDED, sampleRate: 22_050 });
    expect(fields(wavHeader(22_050, 10))).toMatchObject({ riffSize: 46, dataSize: 10 });
    expect(() => wavHeader(0)).toThrow(/bad sample rate/);
    expect(() => encodeWav(new Float32Array(1), 44_100.5)).toThrow(/bad sample rate/);
  });

  it('writes samples as little-endian 16-bit integers, full scale both ways, clipping what is over', () => {
    const pcm = pcm16(Float32Array.of(0, 1, -1, 0.5, -0.5, 2, -3));
    const v = new DataView(pcm.buffer);
    const values = Array.from({ length: 7 }, (_, i) => v.getInt16(i * 2, true));
    expect(values).toEqual([0, 32767, -32768, 16384, -16384, 32767, -32768]);
  });

  it('writes a recorder’s chunks as one run of samples, the same bytes as one array', () => {
    const all = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10) * 0.8);
    const chunks = [all.subarray(0, 128), all.subarray(128, 129), all.subarray(129, 129), all.subarray(129)];
    const wav = encodeWav(chunks, 16_000);
    expect(wav).toEqual(encodeWav(all, 16_000));
    expect(fields(wav).dataSize).toBe(2000);
    expect(wav.subarray(WAV_HEADER_BYTES)).toEqual(pcm16(all));
    expect(encodeWav([], 16_000).byteLength).toBe(44);
  });
});
