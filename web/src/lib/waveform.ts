// A recording's waveform as bars: the loudest sample of each slice of the recording, 0..1. Enough to see
// where the candidate spoke and paused, and to point at a moment.

/** `bars` peaks of `samples` (mono, -1..1); fewer when there are fewer samples than bars. */
export function peaks(samples: Float32Array, bars: number): number[] {
  const n = Math.min(bars, samples.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * samples.length) / n);
    const to = Math.floor(((i + 1) * samples.length) / n);
    let max = 0;
    for (let j = from; j < to; j++) max = Math.max(max, Math.abs(samples[j]!));
    out.push(Math.min(1, max));
  }
  return out;
}
