// The judgement's sentence embeddings: the app's all-MiniLM-L6-v2 (ingestion/embed.ts), one instance per
// process, with a small cache so a job's requirement sentences are embedded once, not once per answer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalMiniLmEmbedder, type Embedder } from '../../ingestion/embed.js';
import { modelsDir } from '../../core/models.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE_LIMIT = 4096;

export interface SentenceEmbedder {
  readonly id: string;
  embed(texts: readonly string[]): Promise<number[][]>;
}

/** Wraps an embedder with a bounded cache by text (oldest dropped first). */
export function cachedEmbedder(inner: Embedder, limit = CACHE_LIMIT): SentenceEmbedder {
  const cache = new Map<string, number[]>();
  return {
    id: inner.id,
    async embed(texts) {
      const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
      if (missing.length) {
        const vectors = await inner.embed(missing);
        missing.forEach((t, i) => cache.set(t, vectors[i]!));
        while (cache.size > limit) cache.delete(cache.keys().next().value!);
      }
      return texts.map((t) => cache.get(t)!);
    },
  };
}

/** The embeddings the judgement is trained on and served with: weights trained on others are refused. */
export const JUDGEMENT_EMBEDDER_ID = LocalMiniLmEmbedder.ID;

let shared: SentenceEmbedder | undefined;

/** The process's MiniLM embedder (MODELS_DIR or ./data/models); throws when the model is not set up. */
export function judgementEmbedder(env: NodeJS.ProcessEnv = process.env): SentenceEmbedder {
  shared ??= cachedEmbedder(new LocalMiniLmEmbedder(modelsDir(ROOT, env)));
  return shared;
}

export const meanVector = (vectors: readonly (readonly number[])[]): number[] => {
  const dims = vectors[0]?.length ?? 0;
  const out = new Array<number>(dims).fill(0);
  for (const v of vectors) for (let i = 0; i < dims; i++) out[i]! += v[i]! / vectors.length;
  return out;
};
