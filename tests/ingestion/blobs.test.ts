// The blob store behind uploads: a folder in the embedded default, an S3-compatible bucket in production.
// No real S3 service runs here, so the S3 path is tested against s3rver, an S3 API emulator (a fake,
// named as one), through the real AWS SDK client — including one upload end to end through the stack.
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileBlobStore, S3BlobStore, type BlobStore } from '../../core/blobs.js';
import { apiClient, createReadyJob } from '../support/client.js';
import { tempDir } from '../support/processes.js';
import { startStack } from '../support/stack.js';

let s3: S3rver;
let endpoint: string;

beforeAll(async () => {
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: tempDir('s3rver'),
    configureBuckets: [{ name: 'uploads', configs: [] }],
  });
  const { port } = await s3.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(() => s3?.close());

const s3Options = () => ({
  endpoint,
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
});

describe.each([
  ['a folder', () => new FileBlobStore(tempDir('blobs'))],
  ['an S3 bucket (s3rver emulator)', () => new S3BlobStore('uploads', s3Options())],
])('blobs in %s', (_name, make: () => BlobStore) => {
  it('stores, reads back and deletes bytes by key', async () => {
    const store = make();
    const bytes = Buffer.from([0, 1, 2, 250, 255, ...Buffer.from('resume.pdf')]);
    await store.put('local/job-1/doc-1', bytes);
    expect(Buffer.compare(await store.get('local/job-1/doc-1'), bytes)).toBe(0);
    await store.delete('local/job-1/doc-1');
    await expect(store.get('local/job-1/doc-1')).rejects.toThrow();
  });
});

it('refuses a key that could leave the folder', async () => {
  const store = new FileBlobStore(tempDir('blobs'));
  await expect(store.put('../escape', Buffer.from('x'))).rejects.toThrow(/invalid blob key/);
  await expect(store.get(path.join('a', '..', '..', 'b'))).rejects.toThrow(/invalid blob key/);
});

it('an upload goes through an S3 bucket end to end', async () => {
  const stack = await startStack({
    BLOB_STORE: 's3',
    S3_BUCKET: 'uploads',
    S3_ENDPOINT: endpoint,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  });
  try {
    const client = apiClient(stack.baseUrl);
    const jobId = await createReadyJob(client);
    const form = new FormData();
    form.append('kind', 'company');
    form.append(
      'file',
      new Blob(['# Perks\n\nEvery nurse manager gets a quarterly offsite in Lisbon.\n']),
      'perks.md',
    );
    const res = await fetch(`${stack.baseUrl}/api/jobs/${jobId}/documents`, { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const { documentId } = (await res.json()) as { documentId: string };
    let status = 'pending';
    for (
      const t0 = Date.now();
      !['ready', 'failed'].includes(status) && Date.now() - t0 < 30_000;
      await new Promise((r) => setTimeout(r, 100))
    ) {
      status = (
        await client.call<{ id: string; status: string }[]>('GET', `/api/jobs/${jobId}/documents`)
      ).json.find((d) => d.id === documentId)!.status;
    }
    expect(status).toBe('ready');
    const { json } = await client.call<{ results: { documentId: string }[] }>(
      'GET',
      `/api/jobs/${jobId}/search?q=offsite%20in%20Lisbon&k=3`,
    );
    expect(json.results[0]!.documentId).toBe(documentId);
  } finally {
    await stack.close();
  }
});
