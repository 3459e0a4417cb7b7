import { describe, expect, it } from 'vitest';
import type { FromWorklet, ToWorklet } from './pcm-protocol';
import { collectPcm, cutPoint, type PcmPort } from './recording';

/** The worklet's side of the port, played by the test. */
function fakePort() {
  const sent: ToWorklet[] = [];
  const port: PcmPort = {
    onmessage: null,
    postMessage: (m) => void sent.push(m),
  };
  const worklet = (data: FromWorklet) => port.onmessage?.({ data } as MessageEvent<FromWorklet>);
  return { port, sent, worklet };
}

const samples = (n: number, value: number) => new Float32Array(n).fill(value);

async function wavOf(blob: Blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  const view = new DataView(bytes.buffer);
  const pcm = Array.from({ length: (bytes.length - 44) / 2 }, (_, i) => view.getInt16(44 + i * 2, true));
  return { type: blob.type, rate: view.getUint32(24, true), dataBytes: view.getUint32(40, true), pcm };
}

describe('the PCM recording', () => {
  it('on stop asks the worklet for the rest and gives one 16 kHz WAV of every chunk, in order', async () => {
    const { port, sent, worklet } = fakePort();
    let ended = 0;
    const recording = collectPcm(port, { onEnd: () => ended++ });
    worklet({ type: 'pcm', samples: samples(1600, 0.5) });
    worklet({ type: 'pcm', samples: samples(1600, -0.5) });
    const stopped = recording.stop();
    expect(sent).toEqual([{ type: 'stop' }]);
    expect(recording.stop()).toBe(stopped); // a second press sends nothing twice
    worklet({ type: 'pcm', samples: samples(37, 0.25) }); // the resampler's tail
    worklet({ type: 'end' });
    const wav = await wavOf(await stopped);
    expect({ type: wav.type, rate: wav.rate, dataBytes: wav.dataBytes }).toEqual({
      type: 'audio/wav',
      rate: 16_000,
      dataBytes: (1600 + 1600 + 37) * 2,
    });
    expect([wav.pcm[0], wav.pcm[1599], wav.pcm[1600], wav.pcm[3200]]).toEqual([16384, 16384, -16384, 8192]);
    expect(ended).toBe(1);
    expect(port.onmessage).toBeNull();
    expect(sent).toHaveLength(1);
  });

  it('gives what arrived when the worklet never answers (its context was closed), instead of hanging', async () => {
    const { port, worklet } = fakePort();
    let ended = 0;
    const recording = collectPcm(port, { timeoutMs: 20, onEnd: () => ended++ });
    worklet({ type: 'pcm', samples: samples(800, 0.1) });
    const wav = await wavOf(await recording.stop());
    expect(wav.dataBytes).toBe(1600);
    expect(ended).toBe(1);
  });

  it('cuts the answer into consecutive WAVs while it records; the last cut after stop is the rest', async () => {
    const { port, worklet } = fakePort();
    const recording = collectPcm(port);
    expect(recording.cut!()).toBeNull();
    worklet({ type: 'pcm', samples: samples(1600, 0.5) });
    worklet({ type: 'pcm', samples: samples(800, 0.5) });
    const first = await wavOf(recording.cut!()!);
    worklet({ type: 'pcm', samples: samples(1600, -0.5) });
    const stopped = recording.stop();
    worklet({ type: 'pcm', samples: samples(37, 0.25) });
    worklet({ type: 'end' });
    const whole = await wavOf(await stopped);
    const rest = await wavOf(recording.cut!()!);
    expect([first.rate, first.dataBytes, rest.dataBytes]).toEqual([16_000, 2400 * 2, (1600 + 37) * 2]);
    // Together the cuts are the whole recording, sample for sample.
    expect([...first.pcm, ...rest.pcm]).toEqual(whole.pcm);
    expect(recording.cut!()).toBeNull();
  });

  it('cuts in the middle of the pause it was made for, not into the word begun since', async () => {
    const { port, worklet } = fakePort();
    const recording = collectPcm(port);
    // 1 s of speech, a 300 ms pause, then 400 ms of the next word before the detector's verdict arrives.
    const speech = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i / 3));
    worklet({ type: 'pcm', samples: speech(16_000) });
    worklet({ type: 'pcm', samples: samples(4800, 0) });
    worklet({ type: 'pcm', samples: speech(6400) });
    const first = await wavOf(recording.cut!()!);
    expect(first.pcm.length).toBeGreaterThan(16_000 + 1600);
    expect(first.pcm.length).toBeLessThan(16_000 + 3200);
    // The first segment ends in the pause; the next one starts in it, the whole of the next word after.
    expect(first.pcm.slice(-160).every((v) => v === 0)).toBe(true);
    const stopped = recording.stop();
    worklet({ type: 'end' });
    const whole = await wavOf(await stopped);
    const rest = await wavOf(recording.cut!()!);
    expect(rest.pcm.slice(0, 160).every((v) => v === 0)).toBe(true);
    expect([...first.pcm, ...rest.pcm]).toEqual(whole.pcm);
  });

  it('speech without a pause in its last second is cut where it is', () => {
    const speech = Float32Array.from({ length: 40_000 }, (_, i) => 0.5 * Math.sin(i / 3));
    expect(cutPoint(speech)).toBe(40_000);
    expect(cutPoint(new Float32Array(100))).toBe(100);
  });
});
