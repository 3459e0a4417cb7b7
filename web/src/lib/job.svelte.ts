// JobWatcher: a job and its ingestion status, polled every second until ready or failed.
import { api, errorMessage, type Job } from './api';

export class JobWatcher {
  readonly id: string;
  job: Job | null = $state(null);
  error: string | null = $state(null);
  /** Document errors, fetched when ingestion failed without a reason. */
  documentErrors: string[] = $state([]);

  ready = $derived(this.job?.ingestion.status === 'ready');
  done = $derived(this.job?.ingestion.status === 'ready' || this.job?.ingestion.status === 'failed');

  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  #ticking = false;
  /** A refresh asked for while a fetch was in flight: fetch once more when it lands. */
  #again = false;

  constructor(id: string, initial?: Job) {
    this.id = id;
    if (initial) this.job = initial;
  }

  start(intervalMs = 1000): void {
    this.#stopped = false;
    void this.#tick(intervalMs);
  }

  /** Fetch again now and poll until settled (e.g. after an upload started a new ingestion). */
  refresh(intervalMs = 1000): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#ticking) this.#again = true;
    else void this.#tick(intervalMs);
  }

  async #tick(intervalMs: number): Promise<void> {
    if (this.#stopped || this.#ticking) return;
    this.#ticking = true;
    try {
      this.job = await api.getJob(this.id);
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.#ticking = false;
    }
    if (this.#stopped) return;
    if (this.#again) {
      this.#again = false;
      return this.#tick(intervalMs);
    }
    if (this.job && this.done) {
      if (this.job.ingestion.status === 'failed' && !this.job.ingestion.error)
        await this.#loadDocumentErrors();
      return;
    }
    this.#timer = setTimeout(() => void this.#tick(intervalMs), intervalMs);
  }

  async #loadDocumentErrors(): Promise<void> {
    try {
      const docs = await api.listDocuments(this.id);
      this.documentErrors = docs.filter((d) => d.error).map((d) => `${d.name}: ${d.error}`);
    } catch {
      // optional detail only
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
