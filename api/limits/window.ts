// A sliding-window rate limiter held in this process's memory: limits are per API process (with several
// replicas a client gets up to replicas × limit; a shared store would be needed to make them global).

export type Verdict = { ok: true } | { ok: false; retryAfterSeconds: number };

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();
  private takes = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit for the key, unless the key already has `limit` hits in the window. */
  take(key: string): Verdict {
    const now = this.now();
    if (++this.takes % 1000 === 0) this.sweep(now);
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      // The oldest hit leaving the window frees the next slot.
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000)),
      };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { ok: true };
  }

  /** Forgets keys whose hits have all left the window, so memory follows the active clients only. */
  private sweep(now: number) {
    for (const [key, times] of this.hits) {
      if (times.every((t) => t <= now - this.windowMs)) this.hits.delete(key);
    }
  }
}
