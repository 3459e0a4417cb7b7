// AdminRunsStore: ingestion runs across all users, refreshed every 2 s while any is running,
// and the admin actions on them (re-index one job or all, cancel a run).
import { api, ApiError, errorMessage, type IngestionRun } from './api';
import { Poller } from './poller';

export interface AdminMessage {
  kind: 'ok' | 'error';
  text: string;
}

export interface AdminJob {
  id: string;
  title: string;
  running: boolean;
  lastStatus: IngestionRun['status'];
}

export class AdminRunsStore {
  runs: IngestionRun[] = $state([]);
  loaded = $state(false);
  error: string | null = $state(null);
  forbidden = $state(false);
  message: AdminMessage | null = $state(null);
  /** Keys of actions in flight: `job:<id>`, `all`, `run:<id>`. */
  pending: string[] = $state([]);

  running = $derived(this.runs.some((r) => r.status === 'running'));
  /** Every job that has runs, newest activity first (runs arrive newest first). */
  jobs: AdminJob[] = $derived.by(() => {
    const out: AdminJob[] = [];
    for (const r of this.runs) {
      const j = out.find((x) => x.id === r.jobId);
      if (!j)
        out.push({ id: r.jobId, title: r.jobTitle, running: r.status === 'running', lastStatus: r.status });
      else if (r.status === 'running') j.running = true;
    }
    return out;
  });

  // A refresh asked for during a fetch (after an action) fetches again: the answer in flight may predate it.
  readonly #poller: Poller;

  constructor(intervalMs = 2000) {
    this.#poller = new Poller({
      intervalMs,
      duringFetch: 'coalesce',
      load: () => this.#load(),
      // Only while a run is in progress; a 403 stops it for good.
      again: () => this.running && !this.forbidden,
    });
  }

  start(): void {
    this.#poller.start();
  }

  stop(): void {
    this.#poller.stop();
  }

  refresh(): Promise<void> {
    return this.#poller.refresh();
  }

  async #load(): Promise<void> {
    try {
      this.runs = await api.listIngestionRuns({ limit: 200 });
      this.error = null;
      this.forbidden = false;
    } catch (err) {
      this.error = errorMessage(err);
      this.forbidden = err instanceof ApiError && err.status === 403;
    } finally {
      this.loaded = true;
    }
  }

  isPending = (key: string) => this.pending.includes(key);

  async #act(key: string, fn: () => Promise<AdminMessage>, on409: (err: ApiError) => string): Promise<void> {
    if (this.isPending(key)) return;
    this.pending.push(key);
    try {
      this.message = await fn();
    } catch (err) {
      this.message = {
        kind: 'error',
        text: err instanceof ApiError && err.status === 409 ? on409(err) : errorMessage(err),
      };
    } finally {
      this.pending = this.pending.filter((k) => k !== key);
    }
    await this.refresh();
  }

  reindexJob = (job: { id: string; title: string }) =>
    this.#act(
      `job:${job.id}`,
      async () => {
        const { runId } = await api.reingestJob(job.id);
        return { kind: 'ok', text: `Re-indexing “${job.title}” (run ${runId.slice(0, 8)}).` };
      },
      (err) =>
        `“${job.title}” was not re-indexed: ${err.detail}. Wait for the current run to finish, or cancel it.`,
    );

  reindexAll = () =>
    this.#act(
      'all',
      async () => {
        const { runs } = await api.reingestAll();
        const started = runs.filter((r) => r.runId).length;
        const skipped = runs.filter((r) => r.error);
        const title = (id: string) => this.jobs.find((j) => j.id === id)?.title ?? id.slice(0, 8);
        let text = `Re-index all: ${started} of ${runs.length} job${runs.length === 1 ? '' : 's'} started.`;
        if (skipped.length)
          text += ` Skipped: ${skipped.map((r) => `${title(r.jobId)} (${r.error})`).join('; ')}.`;
        return { kind: skipped.length && !started ? 'error' : 'ok', text };
      },
      (err) => `Re-index all refused: ${err.detail}`,
    );

  cancel = (run: IngestionRun) =>
    this.#act(
      `run:${run.id}`,
      async () => {
        await api.cancelRun(run.id);
        return { kind: 'ok', text: `Cancelling run ${run.id.slice(0, 8)} of “${run.jobTitle}”.` };
      },
      (err) => `Run ${run.id.slice(0, 8)} could not be cancelled: ${err.detail}. It has already finished.`,
    );
}
