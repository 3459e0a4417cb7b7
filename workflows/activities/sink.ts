// Writes an activity's session events into the event log. Keys derive from the activity's own input and
// the event's position, so a retried attempt re-appends nothing it already wrote; an attempt whose signal
// has fired (given up on: see attempt.ts) appends nothing more at all.
import { Context } from '@temporalio/activity';
import type { EventLog, KeyedEvent } from '../../core/events.js';
import type { SessionEvent } from '../../core/types.js';

/**
 * Events go out at once while the log is idle; those emitted during a write travel together in the next
 * one. So an idle stream pays no batching delay, and a busy one (fast tokens, many sessions) costs one
 * append per write rather than one per token.
 */
export class EventSink {
  private buffer: KeyedEvent[] = [];
  private n = 0;
  private writing: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly log: EventLog,
    private readonly sessionId: string,
    private readonly keyPrefix: string,
    /** The attempt's signal: once it fires, nothing more is written. */
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * `name` keys an event by what it is rather than by its position: for the one event a phase ends with
   * (the question, the feedback). A retried attempt whose output differs (a real model, or inputs read
   * again from the database) emits a different number of tokens; a positional key could then collide with
   * one of the first attempt's tokens, and the event the session waits for would be dropped.
   */
  emit(event: SessionEvent, name?: string): void {
    if (this.signal?.aborted) return;
    this.buffer.push({ key: name ? `${this.keyPrefix}:${name}` : `${this.keyPrefix}:${this.n++}`, event });
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.buffer.length > 0 && !this.failure) {
        this.signal?.throwIfAborted();
        const batch = this.buffer;
        this.buffer = [];
        await this.log.append(this.sessionId, batch);
        heartbeat();
      }
    } catch (err) {
      this.failure = err;
    } finally {
      this.writing = undefined;
    }
  }

  /** Resolves once everything emitted so far is in the log; rejects if a write failed. */
  async close(): Promise<void> {
    while (this.writing || (this.buffer.length > 0 && !this.failure)) await (this.writing ??= this.drain());
    if (this.failure) throw this.failure;
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Outside an activity (benchmarks, unit tests): nothing to heartbeat.
  }
}
