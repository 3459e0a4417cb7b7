// Plays sentences one after another, in order, fetching the next ones while one plays so there is
// no gap between sentences. `stop()` (barge-in, leaving the page) cuts the current one and drops the
// rest. The audio itself is behind `Clip`, so the ordering rules are tested without a browser.

/** One sentence's audio. Creating it starts the download; `play` resolves when it has been heard. */
export interface Clip {
  play(): Promise<void>;
  stop(): void;
}

/** The browser refused to play without a user gesture (autoplay policy). */
export class PlaybackBlocked extends Error {
  constructor() {
    super('The browser blocked audio until you interact with the page');
    this.name = 'PlaybackBlocked';
  }
}

export interface SpeechQueueOptions {
  /** `voice`: a mock panelist's voice ("<engine>:<voice>"); none: the configured one. */
  makeClip: (text: string, voice?: string) => Clip;
  /** How many sentences are fetched ahead of the one playing. */
  ahead?: number;
  onchange?: (speaking: boolean) => void;
  /** A sentence could not be played (it is skipped). */
  onerror?: (text: string, err: unknown) => void;
  /** Playback needs a user gesture: call `resume()` from one. */
  onblocked?: () => void;
}

interface Item {
  text: string;
  clip: Clip | null;
  voice?: string;
}

export class SpeechQueue {
  #items: Item[] = [];
  #current: Item | null = null;
  #opts: SpeechQueueOptions;
  #ahead: number;
  #blocked = false;
  #idleWaiters: (() => void)[] = [];
  /** Every sentence handed to the queue, for tests and the UI's "last spoken" line. */
  readonly spoken: string[] = [];

  constructor(opts: SpeechQueueOptions) {
    this.#opts = opts;
    this.#ahead = opts.ahead ?? 2;
  }

  get speaking(): boolean {
    return this.#current !== null || (this.#items.length > 0 && !this.#blocked);
  }

  get blocked(): boolean {
    return this.#blocked;
  }

  get pending(): number {
    return this.#items.length + (this.#current ? 1 : 0);
  }

  enqueue(...sentences: string[]): void {
    this.enqueueAs(undefined, ...sentences);
  }

  /** Queues sentences said in `voice` (a mock panelist's); undefined: the configured voice. */
  enqueueAs(voice: string | undefined, ...sentences: string[]): void {
    const wasSpeaking = this.speaking;
    for (const text of sentences)
      if (text.trim()) this.#items.push({ text, clip: null, ...(voice && { voice }) });
    this.#prefetch();
    if (!wasSpeaking && this.speaking) this.#opts.onchange?.(true);
    void this.#pump();
  }

  /** Stops the sentence playing and drops the queued ones. */
  stop(): void {
    const had = this.pending > 0;
    const current = this.#current;
    this.#current = null;
    for (const item of this.#items) item.clip?.stop();
    this.#items = [];
    current?.clip?.stop();
    this.#blocked = false;
    if (had) this.#opts.onchange?.(false);
    this.#settle();
  }

  /** After a blocked start: try again (call from a click or key press). */
  resume(): void {
    if (!this.#blocked) return;
    this.#blocked = false;
    this.#opts.onchange?.(this.speaking);
    void this.#pump();
  }

  /** Resolves once nothing is playing or queued. */
  idle(): Promise<void> {
    if (!this.speaking) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  #prefetch(): void {
    for (let i = 0; i < Math.min(this.#ahead, this.#items.length); i++) {
      const item = this.#items[i]!;
      item.clip ??= this.#opts.makeClip(item.text, item.voice);
    }
  }

  #settle(): void {
    if (this.speaking) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async #pump(): Promise<void> {
    while (!this.#current && !this.#blocked && this.#items.length > 0) {
      const item = this.#items.shift()!;
      item.clip ??= this.#opts.makeClip(item.text, item.voice);
      this.#current = item;
      this.#prefetch();
      try {
        await item.clip.play();
      } catch (err) {
        if (this.#current !== item) return; // stopped meanwhile
        if (err instanceof PlaybackBlocked) {
          // Keep the sentence for `resume()`, with a fresh clip (the refused one may be spent).
          item.clip.stop();
          this.#items.unshift({ ...item, clip: null });
          this.#current = null;
          this.#blocked = true;
          this.#opts.onchange?.(false);
          this.#opts.onblocked?.();
          this.#settle();
          return;
        }
        this.#opts.onerror?.(item.text, err);
      }
      if (this.#current !== item) return; // stopped meanwhile: stop() already reported
      this.spoken.push(item.text);
      this.#current = null;
    }
    if (!this.speaking) {
      this.#opts.onchange?.(false);
      this.#settle();
    }
  }
}
