// Hybrid retrieval: the vector side (Chroma) and the lexical side (BM25) each propose candidates, reciprocal
// rank fusion merges their rankings, and maximal marginal relevance keeps near-duplicates out of the top k.
import type { DocumentKind } from '../../core/types.js';
import type { ScoredChunk } from '../store.js';
import type { Bm25Index } from './bm25.js';
import { MMR_LAMBDA, RRF_K, mmr, reciprocalRankFusion, termJaccard } from './fuse.js';

export type RetrievalMode = 'hybrid' | 'vector' | 'lexical';

export type VectorSearch = (query: string, k: number, kinds?: DocumentKind[]) => Promise<ScoredChunk[]>;

export interface HybridSearchInput {
  vector: VectorSearch;
  lexical: Bm25Index;
  query: string;
  k: number;
  kinds?: DocumentKind[];
  /** Which sides propose candidates; the fusion and de-duplication are the same in every mode. Default 'hybrid'. */
  mode?: RetrievalMode;
  /** Candidates fetched from each side, as a multiple of k. Default 4. */
  candidatesPerK?: number;
  /** Set false to return the fused order without MMR de-duplication. Default true. */
  diversify?: boolean;
  lambda?: number;
  rrfK?: number;
}

/**
 * The k best chunks for the query. `score` on each result is the reciprocal-rank-fusion score, the sum of
 * 1 / (60 + rank) over the sides that returned the chunk (at most 2/61 ≈ 0.033 in hybrid mode): it orders
 * results but is not a cosine similarity, and is comparable only within one call. MMR may return a chunk
 * with a lower fused score before a higher one when the higher one repeats a passage already picked.
 */
export async function hybridSearch(input: HybridSearchInput): Promise<ScoredChunk[]> {
  const { query, k, kinds, lexical } = input;
  const mode = input.mode ?? 'hybrid';
  if (k <= 0 || !query.trim()) return [];
  const fetch = Math.max(k, Math.ceil(k * (input.candidatesPerK ?? 4)));

  const [vectorHits, lexicalHits] = await Promise.all([
    mode === 'lexical' ? Promise.resolve([]) : input.vector(query, fetch, kinds),
    mode === 'vector' ? [] : lexical.search(query, fetch, kinds),
  ]);

  const chunks = new Map<string, ScoredChunk>();
  for (const hit of vectorHits) chunks.set(hit.chunkId, hit);
  for (const { id } of lexicalHits) {
    if (chunks.has(id)) continue;
    const doc = lexical.get(id);
    if (doc) {
      chunks.set(id, {
        chunkId: id,
        documentId: doc.documentId,
        kind: doc.kind,
        section: doc.section,
        text: doc.text,
        score: 0,
      });
    }
  }

  const lists = [vectorHits.map((h) => h.chunkId), lexicalHits.map((h) => h.id)].filter((l) => l.length > 0);
  const fused = reciprocalRankFusion(lists, input.rrfK ?? RRF_K).flatMap(({ id, score }) => {
    const chunk = chunks.get(id);
    return chunk ? [{ ...chunk, score: Number(score.toFixed(6)) }] : [];
  });
  if (input.diversify === false) return fused.slice(0, k);
  return mmr(fused, {
    k,
    lambda: input.lambda ?? MMR_LAMBDA,
    similarity: termJaccard((c: ScoredChunk) => c.text),
  });
}
