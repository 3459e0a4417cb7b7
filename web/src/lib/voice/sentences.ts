// Splits text that arrives in pieces (streamed `token` events) into speakable sentences as soon as each
// one ends, so speech can start on the first sentence while the rest is still being written. Where a
// sentence ends is core/text's decision, the same as for the server's speech engines.
import { SentenceBuffer, speakableSentences } from '../../../../core/text/index.js';

/**
 * Accumulates streamed text. `push` returns the sentences completed by the new piece (a sentence is
 * complete once the next has begun); `flush` returns what is left once the stream is over. Sentences
 * are trimmed, without Markdown decoration, and never empty.
 */
export class SentenceSplitter {
  #buffer = new SentenceBuffer();
  /** Everything pushed so far, to tell how much of a final text has already been seen. */
  #seen = '';

  get seen(): string {
    return this.#seen;
  }

  push(piece: string): string[] {
    this.#seen += piece;
    return this.#buffer.push(piece).flatMap((s) => speakableSentences(s));
  }

  flush(): string[] {
    return speakableSentences(this.#buffer.flush());
  }

  /**
   * The stream ended with its full text (a `question` or `feedback` event): speak what the tokens
   * did not cover. When the final text does not continue the tokens (it was rewritten), the tokens
   * already spoken stand and only the pending buffer is dropped in favour of the final text's rest.
   */
  finish(finalText: string): string[] {
    const seen = this.#seen;
    if (seen === '') {
      this.reset();
      return speakableSentences(finalText);
    }
    if (finalText.startsWith(seen)) {
      const out = this.push(finalText.slice(seen.length));
      out.push(...this.flush());
      this.reset();
      return out;
    }
    const out = this.flush();
    this.reset();
    return out;
  }

  reset(): void {
    this.#buffer.flush();
    this.#seen = '';
  }
}
