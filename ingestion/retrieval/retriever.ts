// Hybrid retrieval behind ChunkStore.search's own signature, so callers swap one for the other.
// The BM25 index of a job is built from Chroma's copy of the chunks (the one source of truth) and cached in
// memory, keyed by the collection's record count and a version the caller bumps with `invalidate(jobId)`.
// The count catches added or removed chunks on its own; a document re-ingested into exactly as many chunks
// is caught only by `invalidate`, so ingestion should call it after `upsertDocument`.
import type { DocumentKind } from '../../core/types.js';
import type { ChunkStore, ScoredChunk } from '../store.js';
import { Bm25Index, type Bm25Options } from './bm25.js';
import { hybridSearch, type RetrievalMode } from './hybrid.js';

export interface HybridRetrieverOptions extends Bm25Options {
  mode?: RetrievalMode;
  /** Candidates from each side, as a multiple of k. Default 4. */
  candidatesPerK?: number;
  /** MMR weight of relevance against novelty. Default MMR_LAMBDA (0.85). */
  lambda?: number;
  /** Set false to skip MMR de-duplication (for evaluation). Default true. */
  diversify?: boolean;
  /** Jobs whose index is kept; the least recently used is dropped beyond this. Default 64. */
  maxCachedJobs?: number;
}

interface CachedIndex {
  key: string;
  index: Promise<Bm25Index>;
}

type Store = Pick<ChunkStore, 'search' | 'count' | 'allChunks'>;

export class HybridRetriever {
  private readonly cache = new Map<string, CachedIndex>();
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly opts: HybridRetrieverOptions = {},
  ) {}

  /** Same signature and result type as `ChunkStore.search`; `score` is the fused RRF score (see hybridSearch). */
  async search(jobId: string, query: string, k: number, kinds?: DocumentKind[]): Promise<ScoredChunk[]> {
    if (k <= 0 || !query.trim()) return [];
    const mode = this.opts.mode ?? 'hybrid';
    const lexical = mode === 'vector' ? new Bm25Index([]) : await this.index(jobId);
    return hybridSearch({
      vector: (q, n, ks) => this.store.search(jobId, q, n, ks),
      lexical,
      query,
      k,
      kinds,
      mode,
      candidatesPerK: this.opts.candidatesPerK,
      lambda: this.opts.lambda,
      diversify: this.opts.diversify,
    });
  }

  /** Drops the job's cached index and bumps its version: call after changing the job's documents. */
  invalidate(jobId: string): void {
    this.versions.set(jobId, (this.versions.get(jobId) ?? 0) + 1);
    this.cache.delete(jobId);
  }

  /** The job's BM25 index, rebuilt when the record count or the version changed. */
  async index(jobId: string): Promise<Bm25Index> {
    const count = await this.store.count(jobId);
    const key = `${count}:${this.versions.get(jobId) ?? 0}`;
    const cached = this.cache.get(jobId);
    if (cached?.key === key) {
      // Refresh its place in the LRU order.
      this.cache.delete(jobId);
      this.cache.set(jobId, cached);
      return cached.index;
    }
    const entry: CachedIndex = {
      key,
      index: this.store.allChunks(jobId).then((chunks) => new Bm25Index(chunks, this.opts)),
    };
    this.cache.delete(jobId);
    this.cache.set(jobId, entry);
    // A failed read must not stay cached.
    entry.index.catch(() => {
      if (this.cache.get(jobId) === entry) this.cache.delete(jobId);
    });
    const limit = this.opts.maxCachedJobs ?? 64;
    while (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value!);
    return entry.index;
  }
}
