// DocumentsStore: a job's documents and the uploads in flight, polled while anything is being ingested.
import { api, errorMessage, uploadDocument, type DocumentKind, type JobDocument } from './api';
import { Poller } from './poller';
import { precheck } from './uploads';

export interface Upload {
  key: string;
  name: string;
  size: number;
  kind: DocumentKind;
  /** 0..1 of the bytes sent. */
  progress: number;
  state: 'uploading' | 'accepted' | 'refused';
  /** The server's (or the pre-check's) reason for a refusal. */
  error?: string;
  documentId?: string;
}

const inFlight = (d: JobDocument) => d.status === 'pending' || d.status === 'running';

export class DocumentsStore {
  readonly jobId: string;
  documents: JobDocument[] = $state([]);
  uploads: Upload[] = $state([]);
  loaded = $state(false);
  error: string | null = $state(null);

  /** Uploads still to show on their own: refused ones, and accepted ones not yet in the list. */
  pendingUploads = $derived(
    this.uploads.filter((u) => !u.documentId || !this.documents.some((d) => d.id === u.documentId)),
  );
  busy = $derived(
    this.documents.some(inFlight) ||
      this.uploads.some((u) => u.state === 'uploading') ||
      this.#awaitingListing(),
  );

  #seq = 0;
  #onSettled: (() => void) | undefined;
  // A refresh asked for during a fetch is answered by the fetch in flight (it reschedules itself).
  readonly #poller: Poller;

  /** `onChange` runs whenever an upload is accepted or the list settles, so the job's status can follow. */
  constructor(jobId: string, opts: { intervalMs?: number; onChange?: () => void } = {}) {
    this.jobId = jobId;
    this.#onSettled = opts.onChange;
    this.#poller = new Poller({
      intervalMs: opts.intervalMs ?? 500,
      duringFetch: 'skip',
      load: () => this.#load(),
      // While anything is in flight, and after an error (to recover by itself).
      again: () => this.busy || this.error !== null,
    });
  }

  #awaitingListing(): boolean {
    return this.uploads.some(
      (u) => u.state === 'accepted' && !this.documents.some((d) => d.id === u.documentId),
    );
  }

  start(): void {
    this.#poller.start();
  }

  stop(): void {
    this.#poller.stop();
  }

  /** Fetch now, then keep polling every interval while anything is in flight. */
  refresh(): Promise<void> {
    return this.#poller.refresh();
  }

  async #load(): Promise<void> {
    const wasBusy = this.busy;
    try {
      this.documents = await api.listDocuments(this.jobId);
      this.error = null;
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.loaded = true;
    }
    if (this.#poller.active && wasBusy && !this.busy) this.#onSettled?.();
  }

  /** Pre-checks and uploads each file (all at once), then follows their ingestion. */
  upload(files: Iterable<File>, kind: DocumentKind): void {
    for (const file of files) {
      const key = `u${++this.#seq}`;
      const refused = precheck(file);
      this.uploads.push({
        key,
        name: file.name,
        size: file.size,
        kind,
        progress: 0,
        state: refused ? 'refused' : 'uploading',
        ...(refused && { error: refused }),
      });
      if (!refused) void this.#send(key, file, kind);
    }
  }

  #update(key: string, patch: Partial<Upload>): void {
    const u = this.uploads.find((x) => x.key === key);
    if (u) Object.assign(u, patch);
  }

  async #send(key: string, file: File, kind: DocumentKind): Promise<void> {
    const handle = uploadDocument(this.jobId, file, kind, (progress) => this.#update(key, { progress }));
    try {
      const { documentId } = await handle.done;
      this.#update(key, { state: 'accepted', progress: 1, documentId });
      this.#onSettled?.();
      void this.refresh();
    } catch (err) {
      // The problem's detail names the reason (413 too large, 415 type, 400 name/empty/kind, 409 re-indexing).
      this.#update(key, { state: 'refused', error: errorMessage(err) });
    }
  }

  dismiss(key: string): void {
    this.uploads = this.uploads.filter((u) => u.key !== key);
  }
}
