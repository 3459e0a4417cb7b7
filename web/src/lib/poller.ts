// Poller: fetch now, then again every interval while the owner says there is something to watch.
// One loop for the stores that poll (admin runs, a job's documents); each names what a refresh asked for
// during a fetch means to it.

export interface PollerOptions {
  intervalMs: number;
  /** One fetch; it handles its own errors (a throw is logged, and polling goes on as `again` says). */
  load: () => Promise<void>;
  /** After each fetch: whether to fetch again in `intervalMs`. */
  again: () => boolean;
  /**
   * A refresh asked for while a fetch is in flight: `coalesce` fetches once more when it lands (the answer
   * in flight may predate what the caller just did); `skip` lets the fetch in flight stand for it.
   */
  duringFetch: 'coalesce' | 'skip';
}

export class Poller {
  readonly #opts: PollerOptions;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  #loading = false;
  #again = false;

  constructor(opts: PollerOptions) {
    this.#opts = opts;
  }

  /** True between start() and stop(). */
  get active(): boolean {
    return !this.#stopped;
  }

  start(): void {
    this.#stopped = false;
    void this.refresh();
  }

  stop(): void {
    this.#stopped = true;
    this.#clear();
  }

  /** Fetch now (or as `duringFetch` says when a fetch is in flight), then keep polling while `again`. */
  async refresh(): Promise<void> {
    if (this.#stopped) return;
    this.#clear();
    if (this.#loading) {
      if (this.#opts.duringFetch === 'coalesce') this.#again = true;
      return;
    }
    this.#loading = true;
    try {
      await this.#opts.load();
    } catch (err) {
      console.error('poll failed', err);
    } finally {
      this.#loading = false;
    }
    if (this.#stopped) return;
    if (this.#again) {
      this.#again = false;
      return this.refresh();
    }
    if (this.#opts.again()) this.#timer = setTimeout(() => void this.refresh(), this.#opts.intervalMs);
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
