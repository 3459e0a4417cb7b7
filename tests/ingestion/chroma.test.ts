// The chunk store against the real Chroma server.
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { chunkText } from '../../ingestion/chunk.js';
import { HashingEmbedder } from '../../ingestion/embed.js';
import { ChunkStore } from '../../ingestion/store.js';
import { JOB } from '../support/client.js';

const store = new ChunkStore(inject('chromaUrl'), new HashingEmbedder());
const opts = { size: 300, overlap: 40 };

describe('Chroma chunk store', () => {
  it('stores chunks with their metadata and retrieves the right one for a query', async () => {
    const jobId = randomUUID();
    const jd = { jobId, documentId: 'doc-jd', kind: 'jd' as const, chunks: chunkText(JOB.description, opts) };
    const resume = {
      jobId,
      documentId: 'doc-cv',
      kind: 'resume' as const,
      chunks: chunkText(JOB.resume, opts),
    };
    expect(await store.upsertDocument(jd)).toBe(jd.chunks.length);
    await store.upsertDocument(resume);

    const [top] = await store.search(jobId, 'reducing no-show rates for clinics', 3);
    expect(top).toMatchObject({ documentId: 'doc-jd', kind: 'jd' });
    expect(top!.text).toMatch(/no-show/);
    expect(top!.chunkId).toMatch(/^doc-jd:[0-9a-f]{16}$/);

    const onlyResume = await store.search(jobId, 'reducing no-show rates for clinics', 3, ['resume']);
    expect(onlyResume.length).toBeGreaterThan(0);
    expect(onlyResume.every((r) => r.kind === 'resume')).toBe(true);
    expect(await store.search(randomUUID(), 'anything', 3)).toEqual([]);
    await store.dropIndex(jobId);
  });

  it('re-ingesting never duplicates, and a changed document drops its stale chunks', async () => {
    const jobId = randomUUID();
    const doc = { jobId, documentId: 'doc-1', kind: 'jd' as const, chunks: chunkText(JOB.description, opts) };
    await store.upsertDocument(doc);
    await store.upsertDocument(doc);
    const all = await store.search(jobId, 'product management', 50);
    expect(all).toHaveLength(doc.chunks.length);

    await store.upsertDocument({
      ...doc,
      chunks: chunkText('Requirements\nKotlin and Android experience.', opts),
    });
    const after = await store.search(jobId, 'product management', 50);
    expect(after).toHaveLength(1);
    expect(after[0]!.text).toContain('Kotlin');
    await store.dropIndex(jobId);
  });

  it('a passage repeated word for word in one document is stored once', async () => {
    const jobId = randomUUID();
    const disclaimer = { index: 0, section: '', text: 'Confidential: for internal use only.' };
    const body = { index: 1, section: 'Requirements', text: 'Requirements: five years of Go.' };
    const count = await store.upsertDocument({
      jobId,
      documentId: 'doc-r',
      kind: 'jd',
      chunks: [disclaimer, body, { ...disclaimer, index: 2 }],
    });
    expect(count).toBe(2);
    expect(await store.search(jobId, 'confidential internal', 10)).toHaveLength(2);
    await store.dropIndex(jobId);
  });
});
