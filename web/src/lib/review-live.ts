// A reviewer's page kept in step with its request's stream (a named reviewer's, or a share link's read with
// the link's headers): a withdrawal or the due date passing is said at once, without asking the server (a
// withdrawn request is a 404 to its reviewers); a claim, a review or a reply has the page fetch its view
// again, since seats, the other reviews or the reviewer's own threads may have changed.
import type { ReviewEvent } from './api';
import { openEventStream, type ConnectionState, type SessionStream } from './stream';

export interface FollowReview {
  /** The request's stream resuming after event `last`. */
  urlOf: (last: number) => string;
  /** Sent with the stream's requests (a share link's reviewer key and passcode). */
  headers?: Record<string, string>;
  /** Fetch and show the reviewer's view again. */
  reload: () => Promise<void>;
  /** The request takes no more reviews. */
  ended: (status: 'withdrawn' | 'expired') => void;
  onConnection?: (state: ConnectionState) => void;
}

export function followReview(f: FollowReview): SessionStream {
  // One reload at a time, and one more if something changed meanwhile: the replay of the stream's past
  // events asks for one view, not one per event, and an older answer never lands after a newer one.
  let reloading = false;
  let again = false;
  async function reload() {
    if (reloading) {
      again = true;
      return;
    }
    reloading = true;
    try {
      do {
        again = false;
        await f.reload();
      } while (again);
    } finally {
      reloading = false;
    }
  }

  return openEventStream<ReviewEvent>(
    f.urlOf,
    {
      onEvent: (e) => {
        if (e.type !== 'review' || e.step === 'reminded') return;
        if (e.step === 'withdrawn' || e.step === 'expired') f.ended(e.step);
        else void reload();
      },
      ...(f.onConnection && { onConnection: f.onConnection }),
    },
    f.headers ? { headers: f.headers } : {},
  );
}
