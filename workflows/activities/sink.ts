// Batches an activity's session events into the event log: keys derive from the activity's own input and
// the event's position, so a retried attempt re-appends nothing it already wrote.
import { Context } from '@temporalio/activity';
import type { EventLog, KeyedEvent } from '../../core/events.js';
import type { SessionEvent } from '../../core/types.js';

const FLUSH_MS = 20;

export class EventSink {
  private buffer: KeyedEvent[] = [];
  private n = 0;
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<unknown> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly log: EventLog,
    private readonly sessionId: string,
    private readonly keyPrefix: string,
  ) {}

  emit(event: SessionEvent): void {
    this.buffer.push({ key: `${this.keyPrefix}:${this.n++}`, event });
    // Token deltas wait a few ms to travel together; everything else goes at once.
    if (event.type !== 'token') this.flushSoon(0);
    else this.flushSoon(FLUSH_MS);
  }

  private flushSoon(ms: number): void {
    if (ms === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, ms);
    }
  }

  /** Writes everything emitted so far, in order; rejects if any write failed. */
  flush(): Promise<void> {
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.pending = this.pending
        .then(() => this.log.append(this.sessionId, batch))
        .then(() => heartbeat())
        .catch((err: unknown) => {
          this.failure ??= err;
        });
    }
    return this.pending.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.flush();
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Outside an activity (benchmarks, unit tests): nothing to heartbeat.
  }
}
