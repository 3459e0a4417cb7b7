// SessionStore: the live state of one practice session (snapshot + event stream),
// a Svelte 5 class wrapping the pure reducer in session-reducer.ts.
import { api, ApiError, errorMessage, type Debrief, type SessionEvent } from './api';
import { applyEvent, createView, currentTurn, setAnswer, type SessionView } from './session-reducer';
import { openSessionStream, type ConnectionState, type SessionStream } from './stream';

export class SessionStore {
  readonly id: string;
  view: SessionView = $state(createView());
  connection: ConnectionState = $state('connecting');
  loading = $state(true);
  /** A POST is in flight (answer / retry / next / end). */
  busy = $state(false);
  /** The end-of-session summary, once the session is completed and the server has it. */
  debrief: Debrief | null = $state.raw(null);

  current = $derived(currentTurn(this.view));
  status = $derived(this.view.status);
  canAnswer = $derived(this.view.status === 'awaiting_answer' && !this.busy && this.current !== undefined);
  completed = $derived(this.view.status === 'completed' || this.view.ended);

  #stream: SessionStream | null = null;
  #localErrors = 0;
  #debriefTimer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;
  #debriefPending = false;
  /** Not reactive: called, never rendered. */
  #listeners: ((event: SessionEvent) => void)[] = [];

  constructor(id: string) {
    this.id = id;
  }

  /** Load the snapshot, then replay the stream from the beginning. */
  async start(): Promise<void> {
    this.loading = true;
    try {
      const snapshot = await api.getSession(this.id);
      this.view = createView(snapshot);
      this.debrief = snapshot.debrief ?? null;
    } catch (err) {
      this.view = createView();
      this.view.id = this.id;
      this.pushError(errorMessage(err));
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        this.connection = 'closed'; // nothing to stream
        return;
      }
    } finally {
      this.loading = false;
    }
    this.#stream?.close();
    this.#stream = openSessionStream(this.id, {
      onEvent: (event, id) => this.apply(event, id),
      onConnection: (state) => {
        this.connection = state;
      },
      onEnd: () => {
        this.view.ended = true;
      },
    });
  }

  apply(event: SessionEvent, id?: number | null): boolean {
    for (const listener of this.#listeners) listener(event);
    return applyEvent(this.view, event, id);
  }

  /**
   * Calls `listener` with each stream event before it is applied (the view still shows what came
   * before it; the first call sees the snapshot alone). Returns the unsubscribe function.
   */
  onEvent(listener: (event: SessionEvent) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  pushError(message: string, retryable = false): void {
    this.view.errors.push({ key: `local-${++this.#localErrors}`, message, retryable });
  }

  dismissError(key: string): void {
    this.view.errors = this.view.errors.filter((e) => e.key !== key);
  }

  async #act(fn: () => Promise<unknown>): Promise<boolean> {
    this.busy = true;
    try {
      await fn();
      return true;
    } catch (err) {
      this.pushError(errorMessage(err));
      return false;
    } finally {
      this.busy = false;
    }
  }

  submitAnswer(text: string): Promise<boolean> {
    const turn = this.current;
    return this.#act(async () => {
      const res = await api.submitAnswer(this.id, text, turn?.id);
      setAnswer(this.view, res?.turnId ?? turn?.id ?? '', text);
    });
  }

  retry = () => this.#act(() => api.retry(this.id));
  next = () => this.#act(() => api.next(this.id));
  end = () => this.#act(() => api.end(this.id));

  /**
   * Fetches the debrief of a session that completed while it was open; the server may add it a
   * moment after the session ends, so a missing one is asked for again a few times.
   */
  async loadDebrief(attempts = 5, delayMs = 1000): Promise<void> {
    if (this.debrief || this.#destroyed || this.#debriefPending) return;
    this.#debriefPending = true;
    try {
      await this.#fetchDebrief(attempts, delayMs);
    } finally {
      this.#debriefPending = false;
    }
  }

  async #fetchDebrief(attempts: number, delayMs: number): Promise<void> {
    for (let i = 0; i < attempts && !this.#destroyed; i++) {
      if (i > 0) {
        await new Promise<void>((r) => (this.#debriefTimer = setTimeout(r, delayMs)));
        if (this.#destroyed) return;
      }
      try {
        const snapshot = await api.getSession(this.id);
        if (this.#destroyed) return;
        if (snapshot.debrief) {
          this.debrief = snapshot.debrief;
          return;
        }
      } catch {
        // the debrief summarises what is already on screen: try again, then go without
      }
    }
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.#debriefTimer) clearTimeout(this.#debriefTimer);
    this.#stream?.close();
    this.#stream = null;
  }
}
