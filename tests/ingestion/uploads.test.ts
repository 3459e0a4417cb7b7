// Uploads through the real API into the real worker, Chroma and blob store: good files become searchable,
// bad ones get a clear 4xx or a failed document with its reason, and nothing already indexed is lost.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createReadyJob } from '../support/client.js';
import { ROOT } from '../support/processes.js';
import { startStack, type TestStack } from '../support/stack.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let jobId: string;

type Doc = { id: string; name: string; status: string; stage: string; chunks: number; error?: string };

beforeAll(async () => {
  stack = await startStack({ UPLOAD_MAX_BYTES: String(300 * 1024) });
  client = apiClient(stack.baseUrl);
  jobId = await createReadyJob(client);
});
afterAll(() => stack?.close());

async function upload(name: string, bytes: Uint8Array | string, kind = 'company') {
  const form = new FormData();
  form.append('kind', kind);
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), name);
  const res = await fetch(`${stack.baseUrl}/api/jobs/${jobId}/documents`, { method: 'POST', body: form });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    json: (await res.json()) as { documentId: string; status: string; detail: string },
  };
}

async function settled(documentId: string): Promise<Doc> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const doc = (await client.call<Doc[]>('GET', `/api/jobs/${jobId}/documents`)).json.find(
      (d) => d.id === documentId,
    )!;
    if (doc.status === 'ready' || doc.status === 'failed') return doc;
    if (Date.now() > deadline) throw new Error(`document stuck at ${doc.stage}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const search = async (q: string) =>
  (
    await client.call<{ results: { documentId: string; text: string }[] }>(
      'GET',
      `/api/jobs/${jobId}/search?q=${encodeURIComponent(q)}&k=5`,
    )
  ).json.results;

async function textPdf(pages: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const body of pages) {
    const page = pdf.addPage([600, 800]);
    body.split('\n').forEach((line, i) => page.drawText(line, { x: 40, y: 740 - i * 18, size: 12, font }));
  }
  return pdf.save();
}

describe('document uploads', () => {
  it('a PDF, a Markdown page and an HTML careers page become searchable passages that citations can open', async () => {
    const pdf = await upload(
      'company-handbook.pdf',
      await textPdf(['Values', 'We answer every patient message within one business day.']),
    );
    const md = await upload(
      'team.md',
      '# Engineering culture\n\nWe deploy the scheduling service forty times a week.\n',
    );
    const html = await upload(
      'careers.html',
      '<html><nav>Home | Jobs</nav><main><h1>Benefits</h1><p>Every clinician gets a sabbatical after five years.</p></main><script>alert(1)</script></html>',
    );
    for (const r of [pdf, md, html]) expect(r.status).toBe(202);
    const docs = await Promise.all([pdf, md, html].map((r) => settled(r.json.documentId)));
    expect(docs.map((d) => [d.status, d.stage])).toEqual([
      ['ready', 'indexed'],
      ['ready', 'indexed'],
      ['ready', 'indexed'],
    ]);

    // Each file's progress is mirrored into the job's event stream, stage by stage, each once.
    const progress = await client.events('', {
      path: `/api/jobs/${jobId}/events`,
      until: (_e, all) =>
        [pdf, md, html].every((r) =>
          all.some((e) => e.data.documentId === r.json.documentId && e.data.stage === 'indexed'),
        ),
    });
    const stagesOf = (id: string) =>
      progress.filter((e) => e.data.documentId === id).map((e) => e.data.stage);
    expect(stagesOf(pdf.json.documentId)).toEqual(['parsing', 'chunking', 'embedding', 'indexed']);

    const [hit] = await search('how quickly are patient messages answered');
    expect(hit!.documentId).toBe(pdf.json.documentId);
    const opened = await client.call<{ text: string; name: string }>(
      'GET',
      `/api/jobs/${jobId}/documents/${pdf.json.documentId}`,
    );
    expect(opened.json.name).toBe('company-handbook.pdf');
    expect(opened.json.text).toContain('within one business day');
    const careers = await client.call<{ text: string }>(
      'GET',
      `/api/jobs/${jobId}/documents/${html.json.documentId}`,
    );
    expect(careers.json.text).toContain('sabbatical');
    expect(careers.json.text).not.toMatch(/alert|Home \| Jobs/);
  });

  it('refuses bad uploads with a clear 4xx problem', async () => {
    const cases: [string, Uint8Array | string, number, RegExp][] = [
      ['huge.txt', 'x'.repeat(400 * 1024), 413, /larger than the limit/],
      ['empty.md', '', 400, /empty/],
      ['../../etc/passwd.md', 'hello there', 400, /path|separator|name/i],
      ['bad\u0007name.md', 'hello there', 400, /control|malformed/i],
      ['virus.exe', 'MZ hello', 415, /upload one of/],
    ];
    for (const [name, bytes, status, detail] of cases) {
      const res = await upload(name, bytes);
      expect(res.status, name).toBe(status);
      expect(res.type, name).toContain('application/problem+json');
      expect(res.json.detail, name).toMatch(detail);
    }
    const badKind = await upload('fine.md', 'text', 'poster');
    expect(badKind.status).toBe(400);
    expect(badKind.json.detail).toMatch(/kind/);
  });

  it('files the worker cannot read fail with a reason, and what was indexed stays searchable', async () => {
    const before = (await client.call<{ ingestion: { chunks: number } }>('GET', `/api/jobs/${jobId}`)).json
      .ingestion.chunks;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const cases: [string, Uint8Array | string, RegExp][] = [
      ['resume.pdf', png, /resume\.pdf/],
      ['notes.txt', png, /notes\.txt.*(PNG|image)/i],
      ['broken.pdf', (await textPdf(['Hello world'])).slice(0, 300), /broken\.pdf/],
      ['locked.pdf', readFileSync(path.join(ROOT, 'tests/fixtures/documents/encrypted.pdf')), /password/i],
      [
        'scan.pdf',
        await (async () => {
          const pdf = await PDFDocument.create();
          pdf.addPage().drawRectangle({ x: 10, y: 10, width: 100, height: 100 });
          return pdf.save();
        })(),
        /no text layer/i,
      ],
      ['fake.docx', 'this is not a zip', /fake\.docx/],
    ];
    const accepted = await Promise.all(cases.map(([name, bytes]) => upload(name, bytes)));
    for (const r of accepted) expect(r.status).toBe(202);
    const docs = await Promise.all(accepted.map((r) => settled(r.json.documentId)));
    docs.forEach((d, i) => {
      expect(d.status, d.name).toBe('failed');
      expect(d.stage, d.name).toBe('failed');
      expect(d.error, d.name).toMatch(cases[i]![2]);
    });
    const job = (
      await client.call<{ ingestion: { status: string; chunks: number } }>('GET', `/api/jobs/${jobId}`)
    ).json.ingestion;
    expect(job.status).toBe('ready');
    expect(job.chunks).toBe(before);
    expect((await search('no-show rates')).length).toBeGreaterThan(0);
  });

  it('takes 20 uploads at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        upload(`note-${i}.md`, `# Note ${i}\n\nCandidate fact number ${i}: shipped feature ${i * 7}.`),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(202));
    const docs = await Promise.all(results.map((r) => settled(r.json.documentId)));
    expect(docs.every((d) => d.status === 'ready' && d.chunks === 1)).toBe(true);
  });
});

describe('re-ingestion (admin)', () => {
  it('rebuilds the index beside the old one, swaps when complete, and lists the run', async () => {
    const before = await search('no-show rates');
    const { status, json } = await client.call<{ runId: string }>(
      'POST',
      `/api/admin/jobs/${jobId}/reingest`,
    );
    expect(status).toBe(202);
    // While it runs, retrieval still answers from the old index.
    expect((await search('no-show rates')).map((r) => r.documentId)).toEqual(before.map((r) => r.documentId));
    expect((await client.call('POST', `/api/admin/jobs/${jobId}/reingest`)).status).toBe(409);
    type Run = {
      id: string;
      status: string;
      kind: string;
      documents: number;
      documentsDone: number;
      chunks: number;
      embedder: string;
      chunkSize: number;
      indexVersion: number;
      durationMs: number;
    };
    let run: Run | undefined;
    for (const t0 = Date.now(); Date.now() - t0 < 120_000; await new Promise((r) => setTimeout(r, 300))) {
      run = (await client.call<Run[]>('GET', '/api/admin/ingestion-runs')).json.find(
        (r) => r.id === json.runId,
      );
      if (run?.status !== 'running') break;
    }
    expect(run).toMatchObject({
      status: 'succeeded',
      kind: 'reindex',
      indexVersion: 2,
      embedder: 'minilm-l6-v2-q8',
      chunkSize: 800,
    });
    expect(run!.documentsDone).toBe(run!.documents);
    expect(run!.chunks).toBeGreaterThan(0);
    expect((await search('no-show rates')).map((r) => r.text)).toEqual(before.map((r) => r.text));
  });

  it('a cancelled rerun leaves the serving index as it was', async () => {
    const before = await search('patient messages');
    const { json } = await client.call<{ runId: string }>('POST', `/api/admin/jobs/${jobId}/reingest`);
    expect((await client.call('POST', `/api/admin/ingestion-runs/${json.runId}/cancel`)).status).toBe(202);
    let status = 'running';
    for (
      const t0 = Date.now();
      status === 'running' && Date.now() - t0 < 60_000;
      await new Promise((r) => setTimeout(r, 200))
    ) {
      status = (
        await client.call<{ id: string; status: string }[]>('GET', '/api/admin/ingestion-runs')
      ).json.find((r) => r.id === json.runId)!.status;
    }
    expect(status).toBe('cancelled');
    expect((await search('patient messages')).map((r) => r.text)).toEqual(before.map((r) => r.text));
    expect((await client.call('POST', `/api/admin/ingestion-runs/${json.runId}/cancel`)).status).toBe(409);
  });

  it('a failed rerun leaves the serving index as it was', async () => {
    const before = await search('patient messages');
    // A document whose stored file has gone cannot be re-read: the rerun must fail as a whole.
    const [pdfDoc] = (await client.call<Doc[]>('GET', `/api/jobs/${jobId}/documents`)).json.filter(
      (d) => d.name === 'company-handbook.pdf',
    );
    await stack.services.blobs.delete(`local/${jobId}/${pdfDoc!.id}`);
    const { json } = await client.call<{ runId: string }>('POST', `/api/admin/jobs/${jobId}/reingest`);
    type Run = { id: string; status: string; errors: string[]; indexVersion: number };
    let run: Run | undefined;
    for (const t0 = Date.now(); Date.now() - t0 < 120_000; await new Promise((r) => setTimeout(r, 300))) {
      run = (await client.call<Run[]>('GET', '/api/admin/ingestion-runs')).json.find(
        (r) => r.id === json.runId,
      );
      if (run?.status !== 'running') break;
    }
    expect(run!.status).toBe('failed');
    expect(run!.errors.join(' ')).toMatch(/company-handbook\.pdf/);
    expect((await search('patient messages')).map((r) => r.text)).toEqual(before.map((r) => r.text));
  });

  it('the admin CLI lists runs and re-indexes a job', async () => {
    const cli = (...args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
          cwd: ROOT,
          env: { ...process.env, IH_BASE: stack.baseUrl },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code: code ?? 1, out }));
      });
    const fresh = await createReadyJob(client);
    const rerun = await cli('reingest', '--job', fresh);
    expect(rerun.out).toMatch(/succeeded\s+reindex/);
    expect(rerun.code).toBe(0);
    const runs = await cli('runs', '--job', fresh);
    expect(runs.code).toBe(0);
    expect(
      runs.out
        .trim()
        .split('\n')
        .filter((l) => /^[0-9a-f-]{36}/.test(l)),
    ).toHaveLength(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });
});
