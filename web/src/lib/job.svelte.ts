// JobWatcher: a job and its ingestion status, polled every second until ready or failed.
import { api, errorMessage, type Job } from './api';
import { Poller } from './poller';

export class JobWatcher {
  readonly id: string;
  job: Job | null = $state(null);
  error: string | null = $state(null);
  /** Document errors, fetched when ingestion failed without a reason. */
  documentErrors: string[] = $state([]);

  ready = $derived(this.job?.ingestion.status === 'ready');
  done = $derived(this.job?.ingestion.status === 'ready' || this.job?.ingestion.status === 'failed');

  // A refresh asked for during a fetch (an upload or an edit just started ingestion) fetches once more.
  readonly #poller: Poller;

  constructor(id: string, initial?: Job, intervalMs = 1000) {
    this.id = id;
    if (initial) this.job = initial;
    this.#poller = new Poller({
      intervalMs,
      duringFetch: 'coalesce',
      load: () => this.#load(),
      again: () => !(this.job && this.done),
    });
  }

  start(): void {
    this.#poller.start();
  }

  /** Fetch again now and poll until settled (e.g. after an upload started a new ingestion). */
  refresh(): void {
    void this.#poller.refresh();
  }

  stop(): void {
    this.#poller.stop();
  }

  async #load(): Promise<void> {
    try {
      this.job = await api.getJob(this.id);
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    }
    if (this.job?.ingestion.status === 'failed' && !this.job.ingestion.error)
      await this.#loadDocumentErrors();
  }

  async #loadDocumentErrors(): Promise<void> {
    try {
      const docs = await api.listDocuments(this.id);
      this.documentErrors = docs.filter((d) => d.error).map((d) => `${d.name}: ${d.error}`);
    } catch {
      // optional detail only
    }
  }
}
