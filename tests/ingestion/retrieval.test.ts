// Hybrid retrieval: BM25 and fusion as pure units, then vector-only vs hybrid on the labelled set against
// the real Chroma server.
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { HashingEmbedder, LocalMiniLmEmbedder } from '../../ingestion/embed.js';
import { loadConfig } from '../../core/config.js';
import { Bm25Index, type LexicalDoc } from '../../ingestion/retrieval/bm25.js';
import { jaccard, mmr, reciprocalRankFusion, termJaccard } from '../../ingestion/retrieval/fuse.js';
import { hybridSearch } from '../../ingestion/retrieval/hybrid.js';
import { HybridRetriever } from '../../ingestion/retrieval/retriever.js';
import { ChunkStore, type ScoredChunk } from '../../ingestion/store.js';
import { ingestRetrievalSet, loadRetrievalSet, scoreRetrieval } from '../fixtures/retrieval/index.js';

const doc = (id: string, text: string, kind: LexicalDoc['kind'] = 'jd'): LexicalDoc => ({
  id,
  text,
  kind,
  documentId: `doc-${id}`,
  section: '',
});

const corpus = [
  doc('a', 'Requirements: 5+ years of product management experience on a B2B SaaS product.'),
  doc('b', 'Responsibilities: own the roadmap and work with engineering and design every day.'),
  doc('c', 'Nice to have: experience with Kubernetes, Terraform and product analytics.'),
  doc('d', 'Experience: product manager at MedRoute, shipped reminders for product teams.', 'resume'),
  doc('e', 'Skills: SQL, Looker, product discovery, experiment design.', 'resume'),
];

describe('BM25 index', () => {
  const index = new Bm25Index(corpus);

  it('ranks the chunk holding an exact rare term first', () => {
    const [top] = index.search('Kubernetes', 3);
    expect(top?.id).toBe('c');
    expect(index.search('kubernetes experience', 5)[0]?.id).toBe('c');
  });

  it('weighs a rare term above a common one through IDF', () => {
    expect(index.idf('terraform')).toBeGreaterThan(index.idf('product'));
    // "product" is in four chunks, "looker" in one: the Looker chunk wins although both match one term.
    expect(index.search('product looker', 5)[0]?.id).toBe('e');
  });

  it('saturates term frequency and normalises for length', () => {
    const twice = new Bm25Index([
      doc('x', 'roadmap roadmap'),
      doc('y', 'roadmap'),
      doc('z', 'unrelated words'),
    ]);
    const [x, y] = twice.search('roadmap', 2);
    // Higher, but far from double: k1 = 1.2 saturates repeated terms.
    expect(x!.score).toBeGreaterThan(y!.score);
    expect(x!.score / y!.score).toBeLessThan(1.5);
  });

  it('filters by document kind and never returns chunks without a shared term', () => {
    const resumeOnly = index.search('product experience', 5, ['resume']);
    expect(resumeOnly.map((r) => r.id).sort()).toEqual(['d', 'e']);
    expect(index.search('zebra', 5)).toEqual([]);
    expect(index.search('', 5)).toEqual([]);
    expect(new Bm25Index([]).search('anything', 5)).toEqual([]);
  });

  it('builds and answers over 100k chunks quickly', () => {
    const words = 'payments ledger roadmap nurse staffing quota design figma sql tableau kafka golang'.split(
      ' ',
    );
    const docs = Array.from({ length: 100_000 }, (_, i) =>
      doc(
        String(i),
        `${words[i % words.length]} ${words[(i * 7) % words.length]} term${i % 5000} chunk${i} ${words[(i * 3) % 11]}`,
      ),
    );
    const t0 = performance.now();
    const big = new Bm25Index(docs);
    const built = performance.now() - t0;
    const t1 = performance.now();
    const hits = big.search('payments ledger chunk42', 20);
    const query = performance.now() - t1;
    expect(hits[0]!.id).toBe('42');
    expect(built).toBeLessThan(10_000);
    expect(query).toBeLessThan(200);
  });
});

describe('rank fusion and MMR', () => {
  it('reciprocal rank fusion rewards agreement between lists', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'c', 'd'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['b', 'c', 'a', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 10);
    expect(fused.find((f) => f.id === 'a')!.score).toBeCloseTo(1 / 61, 10);
    expect(fused.find((f) => f.id === 'd')!.score).toBeCloseTo(1 / 63, 10);
    // An id listed twice in one list counts once, at its best rank.
    expect(reciprocalRankFusion([['a', 'a']])).toEqual([{ id: 'a', score: 1 / 61 }]);
  });

  it('MMR pushes a near-duplicate passage out of the top k', () => {
    const requirement = 'Active registered nurse RN license in the state, or a compact license.';
    const candidates = [
      { id: 'jd', text: `Qualifications: ${requirement}`, score: 0.033 },
      { id: 'notes', text: `Must-haves pasted from the posting: ${requirement}`, score: 0.032 },
      { id: 'resume', text: 'Illinois RN license; multistate compact license; BLS; ACLS.', score: 0.03 },
      { id: 'other', text: 'Manage the staffing plan and schedule within the labor budget.', score: 0.016 },
    ];
    const sim = termJaccard((c: (typeof candidates)[number]) => c.text);
    expect(sim(candidates[0]!, candidates[1]!)).toBeGreaterThan(0.5);

    const plain = [...candidates].sort((a, b) => b.score - a.score).slice(0, 2);
    expect(plain.map((c) => c.id)).toEqual(['jd', 'notes']);
    const picked = mmr(candidates, { k: 2, lambda: 0.7, similarity: sim });
    expect(picked.map((c) => c.id)).toEqual(['jd', 'resume']);
    // With lambda = 1 MMR is plain relevance order.
    expect(mmr(candidates, { k: 2, lambda: 1, similarity: sim }).map((c) => c.id)).toEqual(['jd', 'notes']);
  });

  it('Jaccard is the shared share of two term sets', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it('hybridSearch fuses both sides, fills lexical-only hits from the index and scores with RRF', async () => {
    const index = new Bm25Index(corpus);
    const vectorHit = (id: string): ScoredChunk => {
      const d = index.get(id)!;
      return { chunkId: id, documentId: d.documentId, kind: d.kind, section: '', text: d.text, score: 0.9 };
    };
    const vector = async () => ['c', 'a'].map(vectorHit);
    const results = await hybridSearch({ vector, lexical: index, query: 'Kubernetes Looker', k: 3 });
    expect(results.map((r) => r.chunkId).sort()).toEqual(['a', 'c', 'e']);
    expect(results[0]!.chunkId).toBe('c'); // found by both sides
    expect(results[0]!.score).toBeGreaterThanOrEqual(1 / 61 + 1 / 62 - 1e-6);
    // A lexical-only hit is filled in from the index, with its metadata.
    expect(results.find((r) => r.chunkId === 'e')).toMatchObject({ documentId: 'doc-e', kind: 'resume' });
    const lexicalOnly = await hybridSearch({
      vector,
      lexical: index,
      query: 'looker',
      k: 3,
      mode: 'lexical',
    });
    expect(lexicalOnly).toMatchObject([{ chunkId: 'e', documentId: 'doc-e', kind: 'resume' }]);
    expect(await hybridSearch({ vector, lexical: index, query: '  ', k: 3 })).toEqual([]);
  });
});

describe('hybrid retrieval against Chroma', () => {
  const store = new ChunkStore(inject('chromaUrl'), new HashingEmbedder());

  it('allChunks pages through the collection, and the retriever rebuilds its index when chunks change', async () => {
    const jobId = randomUUID();
    const chunks = Array.from({ length: 23 }, (_, index) => ({
      index,
      section: 'Skills',
      text: `Skill number ${index}: tool${index} and practice${index}.`,
    }));
    await store.upsertDocument({ jobId, documentId: 'cv', kind: 'resume', chunks });
    const all = await store.allChunks(jobId, 10);
    expect(all).toHaveLength(23);
    expect(new Set(all.map((c) => c.id)).size).toBe(23);
    expect(all[0]).toMatchObject({ kind: 'resume', documentId: 'cv', section: 'Skills' });

    const retriever = new HybridRetriever(store);
    const first = await retriever.index(jobId);
    expect(await retriever.index(jobId)).toBe(first); // cached
    const [hit] = await retriever.search(jobId, 'tool17', 3);
    expect(hit?.text).toContain('tool17');

    await store.upsertDocument({
      jobId,
      documentId: 'jd',
      kind: 'jd',
      chunks: [{ index: 0, section: 'Requirements', text: 'Requirements: Elixir and Phoenix.' }],
    });
    expect((await retriever.index(jobId)).size).toBe(24); // the count changed
    retriever.invalidate(jobId);
    expect(await retriever.index(jobId)).not.toBe(first);
    expect((await retriever.search(jobId, 'Elixir', 2, ['jd']))[0]).toMatchObject({
      documentId: 'jd',
      kind: 'jd',
    });
    expect(await retriever.search(randomUUID(), 'anything', 3)).toEqual([]);
    await store.dropIndex(jobId);
  });

  it.each([
    ['the shipped MiniLM embedder', () => new LocalMiniLmEmbedder(loadConfig().MODELS_DIR)],
    ['the hashing fallback embedder', () => new HashingEmbedder()],
  ])(
    'hybrid recall@5 on the labelled set is at least vector-only recall@5 with %s',
    async (_name, embedder) => {
      const evalStore = new ChunkStore(inject('chromaUrl'), embedder());
      const set = loadRetrievalSet();
      const prefix = `eval-${randomUUID().slice(0, 8)}-`;
      await ingestRetrievalSet(evalStore, set, prefix);
      const hybrid = new HybridRetriever(evalStore);
      const lexical = new HybridRetriever(evalStore, { mode: 'lexical' });
      const vector = await scoreRetrieval((j, q, k) => evalStore.search(j, q, k), set, prefix);
      const fused = await scoreRetrieval((j, q, k) => hybrid.search(j, q, k), set, prefix);
      const bm25 = await scoreRetrieval((j, q, k) => lexical.search(j, q, k), set, prefix);
      const fmt = (s: typeof vector) =>
        `recall@5 ${s.recall.toFixed(3)} (lexical ${s.byType.lexical.toFixed(3)}, paraphrase ${s.byType.paraphrase.toFixed(3)}), MRR ${s.mrr.toFixed(3)}`;
      console.log(
        `${_name}, ${set.pairs.length} queries\n  vector-only ${fmt(vector)}\n  hybrid      ${fmt(fused)}\n  lexical     ${fmt(bm25)}`,
      );
      expect(set.pairs.length).toBeGreaterThanOrEqual(40);
      expect(fused.recall).toBeGreaterThanOrEqual(vector.recall);
      for (const jobId of new Set(set.pairs.map((p) => p.jobId)))
        await evalStore.dropIndex(`${prefix}${jobId}`);
    },
  );
});
