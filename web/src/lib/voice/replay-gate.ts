// Opening a session replays its event log from the start. Only what happens from now on should be
// spoken: the gate holds the questions and feedback the snapshot already had, and opens once the
// replay has passed all of them. Everything after (the question being asked, the critique being
// written) is live.
import type { SessionEvent } from '../api';

export class ReplayGate {
  #questions: Set<string>;
  #feedback: Set<string>;

  constructor(turns: readonly { id: string; feedback?: unknown }[]) {
    this.#questions = new Set(turns.map((t) => t.id));
    this.#feedback = new Set(turns.filter((t) => t.feedback).map((t) => t.id));
  }

  get live(): boolean {
    return this.#questions.size === 0 && this.#feedback.size === 0;
  }

  /** Notes one event, before it is applied; true when it is live (to be spoken). */
  observe(event: SessionEvent): boolean {
    if (this.live) return true;
    if (event.type === 'question') this.#questions.delete(event.turnId);
    else if (event.type === 'feedback') this.#feedback.delete(event.turnId);
    return false; // the event that completes the replay is itself history
  }

  /** Gives up waiting (the log did not hold an item the snapshot had). */
  open(): void {
    this.#questions.clear();
    this.#feedback.clear();
  }
}
