// Retrieval benchmark: top-5 query latency of vector-only (Chroma) and hybrid (Chroma + in-memory BM25)
// search at growing collection sizes, and recall@5 of vector-only, lexical-only and hybrid retrieval on the
// labelled set in tests/fixtures/retrieval. Starts its own Chroma in a temp dir. Run with
// `npm run bench:retrieve`; sizes with `RETRIEVE_SIZES=10000,100000` (the default) or `--sizes=...`.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DocumentKind } from '../core/types.js';
import type { Chunk } from '../ingestion/chunk.js';
import { HashingEmbedder, LocalMiniLmEmbedder, type Embedder } from '../ingestion/embed.js';
import { loadConfig } from '../core/config.js';
import { HybridRetriever } from '../ingestion/retrieval/retriever.js';
import { ChunkStore } from '../ingestion/store.js';
import { startChroma, tempDir } from '../tests/support/processes.js';
import { ingestRetrievalSet, loadRetrievalSet, scoreRetrieval } from '../tests/fixtures/retrieval/index.js';
import { percentile } from '../core/stats.js';

const arg = process.argv.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length);
const SIZES = (arg ?? process.env.RETRIEVE_SIZES ?? '10000,100000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isFinite(n) && n > 0)
  .sort((a, b) => a - b);
const BATCH = Number(process.env.RETRIEVE_BATCH ?? 2000);
const QUERIES = Number(process.env.RETRIEVE_QUERIES ?? 200);
const WARMUP = 20;
const KINDS: DocumentKind[] = ['jd', 'resume', 'company', 'notes'];

/** Deterministic PRNG (mulberry32), so every run loads the same corpus. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic chunks that look like job material: the real vocabulary of the fixture documents plus invented
 * product and company names, drawn with a Zipf-like skew, in sentences under the usual section headings.
 */
function corpus(vocabulary: string[], seed: number) {
  const random = rng(seed);
  const syllables = 'ka lo mi ra ven tor sel dex qua bri no zu fen gar pol tri'.split(' ');
  const names = Array.from({ length: 4000 }, () =>
    Array.from(
      { length: 2 + Math.floor(random() * 2) },
      () => syllables[Math.floor(random() * syllables.length)],
    ).join(''),
  );
  const words = [...vocabulary, ...names];
  // Zipf-like: index = floor(n * u^3) favours the head of the list without exhausting the tail.
  const word = () => words[Math.floor(words.length * random() ** 3)]!;
  const sections = ['Requirements', 'Responsibilities', 'Experience', 'Skills', 'About the Role', 'Benefits'];
  return (n: number): Chunk[] =>
    Array.from({ length: n }, (_, index) => {
      const section = sections[Math.floor(random() * sections.length)]!;
      const sentences = Array.from({ length: 3 + Math.floor(random() * 5) }, () => {
        const s = Array.from({ length: 8 + Math.floor(random() * 14) }, word).join(' ');
        return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
      });
      return { index, section, text: `${section}: ${sentences.join(' ')}` };
    });
}

async function latency(run: (q: string) => Promise<unknown>, queries: string[]) {
  for (const q of queries.slice(0, WARMUP)) await run(q);
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await run(q);
    times.push(performance.now() - t0);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

const ms = (n: number) =>
  n >= 1000 ? `${(n / 1000).toFixed(1)} s` : n < 1 ? `${n.toFixed(2)} ms` : `${n.toFixed(1)} ms`;
const pad = (s: string | number, n: number) => String(s).padEnd(n);

async function main() {
  const dir = tempDir('bench-retrieve');
  const chroma = await startChroma(dir);
  const store = new ChunkStore(chroma.url, new HashingEmbedder());
  const set = loadRetrievalSet();
  const vocabulary = [
    ...new Set(set.documents.flatMap((d) => d.text.toLowerCase().match(/[a-z][a-z-]+/g) ?? [])),
  ];
  const makeChunks = corpus(vocabulary, 42);
  const random = rng(7);
  const queries = Array.from({ length: QUERIES }, (_, i) =>
    i % 2 === 0
      ? set.pairs[i % set.pairs.length]!.query
      : Array.from(
          { length: 2 + Math.floor(random() * 4) },
          () => vocabulary[Math.floor(random() * vocabulary.length)],
        ).join(' '),
  );
  console.log(
    `Chroma ${chroma.url}, HashingEmbedder 384 dims, ${QUERIES} queries per measurement (+${WARMUP} warm-up), top-5, batches of ${BATCH}`,
  );

  const rows: string[] = [];
  const jobId = `bench-${randomUUID().slice(0, 8)}`;
  const retriever = new HybridRetriever(store);
  let loaded = 0;
  let loadMs = 0;
  try {
    for (const size of SIZES) {
      const t0 = performance.now();
      for (let batch = 0; loaded < size; batch++) {
        const n = Math.min(BATCH, size - loaded);
        await store.upsertDocument({
          jobId,
          documentId: `synthetic-${loaded}`,
          kind: KINDS[batch % KINDS.length]!,
          chunks: makeChunks(n),
        });
        loaded += n;
        if (loaded % 20_000 < BATCH)
          process.stdout.write(`  loaded ${loaded} chunks (${ms(loadMs + performance.now() - t0)})\n`);
      }
      loadMs += performance.now() - t0;
      const count = await store.count(jobId);
      const b0 = performance.now();
      const index = await retriever.index(jobId);
      const buildMs = performance.now() - b0;
      const vector = await latency((q) => store.search(jobId, q, 5), queries);
      const hybrid = await latency((q) => retriever.search(jobId, q, 5), queries);
      const bm25 = await latency(async (q) => index.search(q, 20), queries);
      console.log(
        `  ${count} chunks: cumulative load ${ms(loadMs)}; BM25 index (read all chunks from Chroma + build) ${ms(buildMs)}`,
      );
      rows.push(
        `${pad(count, 9)}| ${pad(ms(loadMs), 11)}| ${pad(`${ms(vector.p50)} / ${ms(vector.p99)}`, 20)}| ${pad(`${ms(hybrid.p50)} / ${ms(hybrid.p99)}`, 20)}| ${pad(`${ms(bm25.p50)} / ${ms(bm25.p99)}`, 18)}| ${ms(buildMs)}`,
      );
    }
  } finally {
    await store.dropIndex(jobId);
  }

  console.log('\n(a, b) Query latency, top-5, p50 / p99');
  console.log(
    `${pad('chunks', 9)}| ${pad('load', 11)}| ${pad('vector (Chroma)', 20)}| ${pad('hybrid', 20)}| ${pad('BM25 alone (k=20)', 18)}| BM25 build`,
  );
  console.log('-'.repeat(100));
  for (const row of rows) console.log(row);

  // (c) Recall on the labelled set, one collection per job (as the product stores them), and a harder pooled
  // variant where every job's documents share one collection, so the other jobs' passages compete; for each
  // embedder and chunk size, so the default chunk size is chosen by measurement.
  const embedders: Embedder[] = [new HashingEmbedder()];
  try {
    embedders.unshift(new LocalMiniLmEmbedder(loadConfig().MODELS_DIR));
  } catch (err) {
    console.log(`\n(MiniLM not installed, run \`npm run setup\`: ${(err as Error).message})`);
  }
  const lexN = set.pairs.filter((p) => p.type === 'lexical').length;
  console.log(
    `\n(c) Labelled set: ${set.pairs.length} queries (${lexN} lexical, ${set.pairs.length - lexN} paraphrase), ${set.documents.length} documents; recall@5 (MRR), per job and pooled`,
  );
  console.log(
    `${pad('embedder', 18)}| ${pad('chunks', 9)}| ${pad('mode', 22)}| ${pad('recall@5', 9)}| ${pad('lexical', 8)}| ${pad('paraphr.', 9)}| ${pad('MRR', 6)}| pooled recall@5 / MRR`,
  );
  console.log('-'.repeat(110));
  for (const embedder of embedders) {
    const evalStore = new ChunkStore(chroma.url, embedder);
    for (const size of [400, 800, 1200]) {
      const sized = loadRetrievalSet({ size, overlap: Math.round(size * 0.15) });
      const prefix = `eval-${randomUUID().slice(0, 8)}-`;
      await ingestRetrievalSet(evalStore, sized, prefix);
      const pooledSet = { ...sized, documents: sized.documents.map((d) => ({ ...d, jobId: 'pooled' })) };
      await ingestRetrievalSet(evalStore, pooledSet, prefix);
      const modes: [string, HybridRetriever][] = [
        ['vector-only + MMR', new HybridRetriever(evalStore, { mode: 'vector' })],
        ['lexical-only + MMR', new HybridRetriever(evalStore, { mode: 'lexical' })],
        ['hybrid (RRF + MMR)', new HybridRetriever(evalStore)],
      ];
      for (const [name, retriever] of modes) {
        const search = (j: string, q: string, k: number) => retriever.search(j, q, k);
        const s = await scoreRetrieval(search, sized, prefix);
        const p = await scoreRetrieval((_j, q, k) => search(`${prefix}pooled`, q, k), sized, prefix);
        console.log(
          `${pad(embedder.id, 18)}| ${pad(`${size}/${Math.round(size * 0.15)}`, 9)}| ${pad(name, 22)}| ${pad(s.recall.toFixed(3), 9)}| ${pad(s.byType.lexical.toFixed(3), 8)}| ${pad(s.byType.paraphrase.toFixed(3), 9)}| ${pad(s.mrr.toFixed(3), 6)}| ${p.recall.toFixed(3)} / ${p.mrr.toFixed(3)}`,
        );
      }
    }
  }

  await chroma.stop();
  rmSync(dir, { recursive: true, force: true });
}

await main();
