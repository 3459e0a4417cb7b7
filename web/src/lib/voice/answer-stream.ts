// A spoken answer sent while it is being spoken: each segment (cut at a pause) goes to the server as soon
// as it exists, numbered from 0, and is transcribed there while the candidate goes on. Finishing first
// sends again every segment whose sending failed (a dropped connection), then asks the server to join them
// into the answer. Segments stay in memory until then, so nothing said is lost to a network hiccup.
import { ApiError, type TurnAccepted } from '../api';

/** The two calls a stream makes, bound to one session and turn (a fake in unit tests). */
export interface SegmentTransport {
  put(index: number, wav: Blob): Promise<unknown>;
  finish(segments: number): Promise<TurnAccepted>;
}

/** Finishing tries this often before the error is the candidate's to see. */
const FINISH_ATTEMPTS = 4;
const RETRY_MS = 400;

/** Worth another try: the network or the server failed, or the server lacks a segment it was sent. */
function retryable(err: unknown): boolean {
  if (!(err instanceof ApiError)) return true;
  return err.status === 0 || err.status >= 500 || (err.status === 409 && /not received/.test(err.detail));
}

export class AnswerStream {
  readonly #transport: SegmentTransport;
  readonly #segments: Blob[] = [];
  readonly #sent = new Set<number>();
  readonly #sending = new Set<Promise<void>>();
  readonly #retryMs: number;

  constructor(transport: SegmentTransport, { retryMs = RETRY_MS }: { retryMs?: number } = {}) {
    this.#transport = transport;
    this.#retryMs = retryMs;
  }

  /** Segments so far. */
  get count(): number {
    return this.#segments.length;
  }

  /** Sends the next segment now, in the background (a failure is made good by `finish`). */
  push(wav: Blob): void {
    const index = this.#segments.push(wav) - 1;
    const sending = this.#transport.put(index, wav).then(
      () => void this.#sent.add(index),
      () => {},
    );
    this.#sending.add(sending);
    void sending.finally(() => this.#sending.delete(sending));
  }

  /** Every segment on the server (sent again where needed), then the answer submitted. */
  async finish(): Promise<TurnAccepted> {
    await Promise.all(this.#sending);
    for (let attempt = 1; ; attempt++) {
      try {
        for (const [index, wav] of this.#segments.entries()) {
          if (this.#sent.has(index)) continue;
          await this.#transport.put(index, wav);
          this.#sent.add(index);
        }
        return await this.#transport.finish(this.#segments.length);
      } catch (err) {
        if (attempt >= FINISH_ATTEMPTS || !retryable(err)) throw err;
        // The server says a segment is missing: which one is in its message, but sending all is simpler
        // and harmless (a segment sent again replaces itself).
        if (err instanceof ApiError && err.status === 409) this.#sent.clear();
        await new Promise((r) => setTimeout(r, this.#retryMs * attempt));
      }
    }
  }
}
