// Combining ranked lists and keeping the top k varied.
//
// Reciprocal rank fusion (Cormack, Clarke & Buettcher 2009) uses ranks only, so it needs no calibration
// between a cosine similarity and a BM25 score, whose scales have nothing in common.
//
// Maximal marginal relevance (Carbonell & Goldstein 1998) then picks k items one at a time, trading
// relevance against similarity to what is already picked. The similarity is Jaccard over `terms()`
// rather than the embeddings' cosine, because: (1) every candidate has its text at hand, while
// lexical-only candidates have no embedding without another round trip to Chroma; (2) the duplicates we
// must catch are textual (the same requirement pasted in the JD and in the company notes), which word
// overlap detects whatever the embedder; (3) it is cheap and deterministic for ~40 candidates. A caller
// holding embeddings can pass `cosine` as the similarity instead.
import { terms } from '../../core/text/index.js';

export interface Ranked {
  id: string;
  score: number;
}

export const RRF_K = 60;
/** MMR relevance weight; 0.85 chosen on the labelled set (bench:retrieve), where 0.7 cost recall. */
export const MMR_LAMBDA = 0.85;

/**
 * Reciprocal rank fusion: each id scores the sum over lists of 1 / (k + rank), rank counted from 1.
 * Ids missing from a list simply get nothing from it. Ties keep the order in which ids were first seen.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = RRF_K): Ranked[] {
  const scores = new Map<string, number>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach((id, i) => {
      if (seen.has(id)) return; // a list naming an id twice counts its best rank only
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + i + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}

export type Similarity<T> = (a: T, b: T) => number;

/** Jaccard similarity of two term sets: |A ∩ B| / |A ∪ B|. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Cosine similarity of two vectors (not assumed normalised). */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

export interface MmrOptions<T> {
  k: number;
  /** Weight of relevance against novelty; 1 is plain relevance order. */
  lambda?: number;
  similarity: Similarity<T>;
}

/**
 * Maximal marginal relevance: each pick maximises lambda * relevance - (1 - lambda) * (highest similarity
 * to the picks so far). Relevance is the score min-max normalised over the candidates (best 1, worst 0):
 * RRF scores are flat (rank 1 scores 1/61, rank 5 scores 1/65), so dividing by the best score alone would
 * leave relevance near 1 for everyone and let the similarity penalty reorder even unrelated passages.
 * Returns at most k candidates.
 */
export function mmr<T extends { score: number }>(candidates: readonly T[], opts: MmrOptions<T>): T[] {
  const lambda = opts.lambda ?? MMR_LAMBDA;
  const pool = [...candidates].sort((a, b) => b.score - a.score);
  const top = pool[0]?.score ?? 0;
  const bottom = pool.at(-1)?.score ?? 0;
  const relevance = (c: T) => (top > bottom ? (c.score - bottom) / (top - bottom) : 1);
  const picked: T[] = [];
  // The highest similarity of each remaining candidate to anything picked, updated as picks are made.
  const maxSim = new Array<number>(pool.length).fill(0);
  const used = new Array<boolean>(pool.length).fill(false);
  while (picked.length < Math.min(opts.k, pool.length)) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      if (used[i]) continue;
      const value = lambda * relevance(pool[i]!) - (1 - lambda) * maxSim[i]!;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    const chosen = pool[best]!;
    used[best] = true;
    picked.push(chosen);
    for (let i = 0; i < pool.length; i++) {
      if (!used[i]) maxSim[i] = Math.max(maxSim[i]!, opts.similarity(pool[i]!, chosen));
    }
  }
  return picked;
}

/** A Jaccard similarity over `terms()` of each item's text, with the term sets computed once per item. */
export function termJaccard<T extends object>(text: (item: T) => string): Similarity<T> {
  const cache = new WeakMap<T, Set<string>>();
  const setOf = (item: T): Set<string> => {
    let set = cache.get(item);
    if (!set) cache.set(item, (set = new Set(terms(text(item)))));
    return set;
  };
  return (a, b) => jaccard(setOf(a), setOf(b));
}
