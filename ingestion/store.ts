// The Chroma side: one collection per job and embedding model; chunk ids derive from the document id
// and the chunk's content hash, so re-ingesting never duplicates.
import { createHash } from 'node:crypto';
import { ChromaClient, type Collection } from 'chromadb';
import type { Citation, DocumentKind } from '../core/types.js';
import type { Embedder } from './embed.js';
import type { Chunk } from './chunk.js';

export interface ScoredChunk extends Citation {
  score: number;
  section: string;
}

/** A chunk as stored, without its embedding. */
export interface StoredChunk {
  id: string;
  text: string;
  kind: DocumentKind;
  documentId: string;
  section: string;
}

export const chunkId = (documentId: string, text: string): string =>
  `${documentId}:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

/**
 * The key of one version of a job's index (its Chroma collection). Version 1 is the job id itself;
 * a re-ingestion writes the next version beside it and swaps (see workflows/ingest.workflow.ts).
 * Every method below that takes a `jobId` takes such a key.
 */
export const indexKey = (jobId: string, version: number): string =>
  version === 1 ? jobId : `${jobId}_v${version}`;

export function collectionName(jobId: string, embedderId: string): string {
  return `job_${jobId}_${embedderId}`.replace(/[^a-zA-Z0-9._-]/g, '_').slice(0, 500);
}

export class ChunkStore {
  private readonly client: ChromaClient;
  constructor(
    chromaUrl: string,
    private readonly embedder: Embedder,
  ) {
    const url = new URL(chromaUrl);
    this.client = new ChromaClient({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      ssl: url.protocol === 'https:',
    });
  }

  get embedderId(): string {
    return this.embedder.id;
  }

  heartbeat(): Promise<number> {
    return this.client.heartbeat();
  }

  /** Open collection handles: opening one is a round trip, and every query needs one. */
  private readonly open = new Map<string, Promise<Collection>>();

  private collection(jobId: string): Promise<Collection> {
    let handle = this.open.get(jobId);
    if (!handle) {
      handle = this.client.getOrCreateCollection({
        name: collectionName(jobId, this.embedder.id),
        embeddingFunction: null,
        configuration: { hnsw: { space: 'cosine' } },
        metadata: { jobId, embedder: this.embedder.id },
      });
      this.open.set(jobId, handle);
      handle.catch(() => this.open.delete(jobId));
    }
    return handle;
  }

  /** Replaces one document's chunks; returns how many it has now. */
  async upsertDocument(doc: {
    jobId: string;
    documentId: string;
    kind: DocumentKind;
    chunks: Chunk[];
  }): Promise<number> {
    const collection = await this.collection(doc.jobId);
    // A passage repeated word for word (a disclaimer on every page) is one chunk: same content, same id.
    const unique = new Map(doc.chunks.map((c) => [chunkId(doc.documentId, c.text), c] as const));
    const ids = [...unique.keys()];
    const chunks = [...unique.values()];
    if (chunks.length > 0) {
      const embeddings = await this.embedder.embed(chunks.map((c) => c.text));
      await collection.upsert({
        ids,
        embeddings,
        documents: chunks.map((c) => c.text),
        metadatas: chunks.map((c) => ({
          jobId: doc.jobId,
          documentId: doc.documentId,
          kind: doc.kind,
          section: c.section,
          index: c.index,
        })),
      });
    }
    const existing = await collection.get({ where: { documentId: doc.documentId }, include: [] });
    const keep = new Set(ids);
    const stale = existing.ids.filter((id) => !keep.has(id));
    if (stale.length > 0) await collection.delete({ ids: stale });
    return ids.length;
  }

  async search(jobId: string, query: string, k: number, kinds?: DocumentKind[]): Promise<ScoredChunk[]> {
    const collection = await this.collection(jobId);
    const count = await collection.count();
    if (count === 0 || !query.trim()) return [];
    const [embedding] = await this.embedder.embed([query]);
    const result = await collection.query({
      queryEmbeddings: [embedding!],
      nResults: Math.min(k, count),
      where: kinds && kinds.length > 0 ? { kind: { $in: kinds } } : undefined,
      include: ['documents', 'metadatas', 'distances'],
    });
    const ids = result.ids[0] ?? [];
    return ids.map((id, i) => {
      const meta = result.metadatas[0]?.[i] ?? {};
      return {
        chunkId: id,
        documentId: String(meta.documentId ?? ''),
        kind: String(meta.kind ?? 'jd') as DocumentKind,
        section: String(meta.section ?? ''),
        text: result.documents[0]?.[i] ?? '',
        score: Number((1 - (result.distances[0]?.[i] ?? 1)).toFixed(4)),
      };
    });
  }

  /** How many chunks the job's collection holds. */
  async count(jobId: string): Promise<number> {
    return (await this.collection(jobId)).count();
  }

  /** Every chunk of the job with its text and metadata (no embeddings), read in pages: the lexical index's input. */
  async allChunks(jobId: string, pageSize = 5000): Promise<StoredChunk[]> {
    const collection = await this.collection(jobId);
    const out: StoredChunk[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const page = await collection.get({ limit: pageSize, offset, include: ['documents', 'metadatas'] });
      page.ids.forEach((id, i) => {
        const meta = page.metadatas[i] ?? {};
        out.push({
          id,
          text: page.documents[i] ?? '',
          kind: String(meta.kind ?? 'jd') as DocumentKind,
          documentId: String(meta.documentId ?? ''),
          section: String(meta.section ?? ''),
        });
      });
      if (page.ids.length < pageSize) return out;
    }
  }

  async dropIndex(jobId: string): Promise<void> {
    this.open.delete(jobId);
    await this.client
      .deleteCollection({ name: collectionName(jobId, this.embedder.id) })
      .catch(() => undefined);
  }
}
