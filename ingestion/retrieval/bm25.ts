// Okapi BM25 over chunk texts, in memory: the lexical half of hybrid retrieval. It shares `terms()` with
// the hashing embedder, so both halves agree on what a word is (lowercased, stopwords dropped, stemmed).
import type { DocumentKind } from '../../core/types.js';
import { terms } from '../../core/text/index.js';

export interface LexicalDoc {
  id: string;
  text: string;
  kind: DocumentKind;
  documentId: string;
  section: string;
}

export interface RankedId {
  id: string;
  score: number;
}

export interface Bm25Options {
  /** Term-frequency saturation. */
  k1?: number;
  /** Length normalisation: 0 ignores chunk length, 1 normalises fully. */
  b?: number;
}

interface Posting {
  /** Document ordinals, ascending. */
  docs: number[];
  /** Term frequency in each of those documents. */
  tfs: number[];
}

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  private readonly docs: LexicalDoc[];
  private readonly lengths: Uint32Array;
  private readonly avgLength: number;
  private readonly postings = new Map<string, Posting>();
  private readonly byId = new Map<string, number>();

  constructor(docs: readonly LexicalDoc[], opts: Bm25Options = {}) {
    this.k1 = opts.k1 ?? 1.2;
    this.b = opts.b ?? 0.75;
    this.docs = [...docs];
    this.lengths = new Uint32Array(this.docs.length);
    let total = 0;
    this.docs.forEach((doc, ordinal) => {
      this.byId.set(doc.id, ordinal);
      const words = terms(doc.text);
      this.lengths[ordinal] = words.length;
      total += words.length;
      const counts = new Map<string, number>();
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const [term, tf] of counts) {
        let posting = this.postings.get(term);
        if (!posting) this.postings.set(term, (posting = { docs: [], tfs: [] }));
        posting.docs.push(ordinal);
        posting.tfs.push(tf);
      }
    });
    this.avgLength = this.docs.length > 0 ? total / this.docs.length : 0;
  }

  get size(): number {
    return this.docs.length;
  }

  get(id: string): LexicalDoc | undefined {
    const ordinal = this.byId.get(id);
    return ordinal === undefined ? undefined : this.docs[ordinal];
  }

  /**
   * Inverse document frequency, in the non-negative form Lucene uses: ln(1 + (N - df + 0.5) / (df + 0.5)).
   * The classic Robertson form turns negative for terms in over half the chunks, which would make a
   * common word count against a chunk; this one only makes it count for little.
   */
  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.docs.length - df + 0.5) / (df + 0.5));
  }

  /** The k best chunks for the query, best first; chunks sharing no term with the query are never returned. */
  search(query: string, k: number, kinds?: readonly DocumentKind[]): RankedId[] {
    if (k <= 0 || this.docs.length === 0) return [];
    const allowed = kinds && kinds.length > 0 ? new Set<DocumentKind>(kinds) : null;
    // A dense score array beats a Map once common terms touch tens of thousands of chunks.
    const scores = new Float64Array(this.docs.length);
    const touched: number[] = [];
    // Each distinct query term counts once: a repeated word in a question is not a stronger signal.
    for (const term of new Set(terms(query))) {
      const posting = this.postings.get(term);
      if (!posting) continue;
      const idf = this.idf(term);
      const { docs, tfs } = posting;
      for (let i = 0; i < docs.length; i++) {
        const ordinal = docs[i]!;
        if (allowed && !allowed.has(this.docs[ordinal]!.kind)) continue;
        const tf = tfs[i]!;
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[ordinal]!) / (this.avgLength || 1));
        if (scores[ordinal] === 0) touched.push(ordinal);
        scores[ordinal]! += (idf * (tf * (this.k1 + 1))) / (tf + norm);
      }
    }
    const entries = touched.map((ordinal): [number, number] => [ordinal, scores[ordinal]!]);
    return topK(entries, k).map(([ordinal, score]) => ({ id: this.docs[ordinal]!.id, score }));
  }
}

/** Highest scores first; ties broken by insertion order of the chunks, so results are deterministic. */
function topK(entries: [number, number][], k: number): [number, number][] {
  const better = (a: [number, number], b: [number, number]) => b[1] - a[1] || a[0] - b[0];
  if (entries.length <= k * 4) return entries.sort(better).slice(0, k);
  // Large candidate sets (common terms over 100k chunks): keep a bounded sorted buffer instead of sorting all.
  const best: [number, number][] = [];
  for (const entry of entries) {
    if (best.length === k && better(entry, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(best[mid]!, entry) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, entry);
    if (best.length > k) best.pop();
  }
  return best;
}
