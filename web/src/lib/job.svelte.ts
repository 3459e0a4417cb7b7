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

  constructor(id: string, initial?: Job) {
    this.id = id;
    if (initial) this.job = initial;
  }

  start(intervalMs = 1000): void {
    this.#stopped = false;
    void this.#tick(intervalMs);
  }

  async #tick(intervalMs: number): Promise<void> {
    if (this.#stopped) return;
    try {
      this.job = await api.getJob(this.id);
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    }
    if (this.#stopped) return;
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
