// The unread count on the nav's Reviews link: reviews that arrived on my requests and new requests I may
// review, since I last opened my Reviews. The layout provides one store; the Reviews page marks it seen.
import { getContext, setContext } from 'svelte';
import { api } from './api';
import { Poller } from './poller';

/** Often enough that a review arriving while one practises shows up soon; the count is one small query. */
const POLL_MS = 30_000;
const KEY = Symbol('review-notices');

export class ReviewNotices {
  unread = $state(0);
  #poller = new Poller({
    intervalMs: POLL_MS,
    load: () =>
      api.notices().then(
        (n) => void (this.unread = n.unread),
        () => undefined, // signed out or offline: keep what was shown
      ),
    again: () => true,
    duringFetch: 'coalesce',
  });

  start(): void {
    this.#poller.start();
  }
  stop(): void {
    this.#poller.stop();
  }
  refresh(): Promise<void> {
    return this.#poller.refresh();
  }

  /** I am looking at my reviews: everything so far is seen. */
  async seen(): Promise<void> {
    await api.noticesSeen().catch(() => undefined);
    this.unread = 0;
    await this.refresh(); // a poll in flight may have read the count from before
  }
}

export const provideNotices = (): ReviewNotices => setContext(KEY, new ReviewNotices());
/** The layout's store; undefined outside it (a component rendered alone in a test). */
export const useNotices = (): ReviewNotices | undefined => getContext<ReviewNotices | undefined>(KEY);
