// Smoke test for the stream latency benchmark: every token reaches its SSE client exactly once, in order.
// Timing is not asserted here; `npm run bench:stream` reports it.
import { describe, expect, it } from 'vitest';
import { runStreamBench } from './stream-latency.js';

describe('runStreamBench', () => {
  it('delivers 2 sessions × 30 tokens exactly once and in order', async () => {
    const r = await runStreamBench({ sessions: 2, tokensPerSession: 30, paceMs: [2, 5], warmup: false });
    for (const path of [r.stack, r.bare]) {
      expect(path.sent).toBe(60);
      expect(path.received).toBe(60);
      expect(path.lost).toBe(0);
      expect(path.duplicates).toBe(0);
      expect(path.sessionsOutOfOrder).toBe(0);
    }
    expect(r.stack.count).toBe(60);
    expect(Number.isFinite(r.stack.p50)).toBe(true);
  }, 60_000);
});
