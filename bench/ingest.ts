// `npm run bench:ingest`: documents through the real pipeline (HTTP upload -> blob store -> Temporal
// workflow -> parse -> chunk -> embed (MiniLM) -> Chroma), measured until the document is searchable.
//  1. a 20-page text PDF, upload to searchable, p50/p95 over 10 runs;
//  2. throughput: chunks per second for 200 uploaded Markdown documents, all at once.
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startAppStack } from '../tests/support/app-stack.js';
import { startChroma, startTemporal } from '../tests/support/processes.js';
import { apiClient, createReadyJob } from '../tests/support/client.js';
import { percentile } from '../core/stats.js';

const RUNS = Number(process.env.RUNS ?? 10);
const DOCS = Number(process.env.DOCS ?? 200);

const topics = [
  'scheduling',
  'billing',
  'onboarding',
  'analytics',
  'search',
  'notifications',
  'payments',
  'security',
];
function paragraph(seed: number, words = 60): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++)
    out.push(`${topics[(seed * 7 + i) % topics.length]}${(seed + i) % 13 === 0 ? '.' : ''}`);
  return `We improved ${out.join(' ')} with measurable results for ${seed * 3 + 11} clinics.`;
}

async function twentyPagePdf(marker: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < 20; p++) {
    const page = pdf.addPage([612, 792]);
    page.drawText(`Contoso Health handbook - page ${p + 1} of 20`, { x: 40, y: 760, size: 9, font });
    const text = `${p === 19 ? `${marker}. ` : ''}${paragraph(p, 400)}`;
    const words = text.split(' ');
    let line = '';
    let y = 730;
    for (const w of words) {
      if ((line + w).length > 95) {
        page.drawText(line, { x: 40, y, size: 10, font });
        y -= 13;
        line = '';
      }
      line += `${w} `;
    }
    page.drawText(line, { x: 40, y, size: 10, font });
  }
  return pdf.save();
}

const temporal = await startTemporal();
const chroma = await startChroma();
const stack = await startAppStack({
  TEMPORAL_ADDRESS: temporal.url,
  CHROMA_URL: chroma.url,
  UPLOAD_MAX_BYTES: String(20 * 1024 * 1024),
});
const client = apiClient(stack.baseUrl);

async function upload(jobId: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const form = new FormData();
  form.append('kind', 'company');
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : Buffer.from(bytes)]), name);
  const res = await fetch(`${stack.baseUrl}/api/jobs/${jobId}/documents`, { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { documentId: string }).documentId;
}

type Doc = { id: string; status: string; chunks: number; error?: string };
async function waitReady(jobId: string, ids: Set<string>): Promise<Doc[]> {
  for (;;) {
    const docs = (await client.call<Doc[]>('GET', `/api/jobs/${jobId}/documents`)).json.filter((d) =>
      ids.has(d.id),
    );
    const failed = docs.find((d) => d.status === 'failed');
    if (failed) throw new Error(`document failed: ${failed.error}`);
    if (docs.length === ids.size && docs.every((d) => d.status === 'ready')) return docs;
    await new Promise((r) => setTimeout(r, 20));
  }
}

try {
  const jobId = await createReadyJob(client);
  console.log(
    'Ingestion benchmark: HTTP upload -> blob store -> Temporal -> parse -> chunk -> MiniLM embed -> Chroma',
  );
  // Warm-up: loads the embedding model and the PDF worker once, as a running server would have.
  await waitReady(jobId, new Set([await upload(jobId, 'warmup.pdf', await twentyPagePdf('warm up phrase'))]));

  const times: number[] = [];
  let chunksPerPdf = 0;
  for (let run = 0; run < RUNS; run++) {
    const marker = `zebra-${run}-quartz`;
    const pdf = await twentyPagePdf(`The secret marker is ${marker}`);
    const t0 = performance.now();
    const id = await upload(jobId, `handbook-${run}.pdf`, pdf);
    const [doc] = await waitReady(jobId, new Set([id]));
    const hits = (
      await client.call<{ results: { documentId: string }[] }>(
        'GET',
        `/api/jobs/${jobId}/search?q=${marker}&k=5`,
      )
    ).json.results;
    if (!hits.some((h) => h.documentId === id)) throw new Error('the new PDF is not searchable');
    times.push(performance.now() - t0);
    chunksPerPdf = doc!.chunks;
  }
  console.log(`\n20-page text PDF (${chunksPerPdf} chunks), upload to searchable, ${RUNS} runs:`);
  console.log(
    `  p50 ${percentile(times, 50).toFixed(0)} ms   p95 ${percentile(times, 95).toFixed(0)} ms   max ${Math.max(...times).toFixed(0)} ms`,
  );

  const bulkJob = await createReadyJob(client);
  const t0 = performance.now();
  const ids = await Promise.all(
    Array.from({ length: DOCS }, (_, i) =>
      upload(
        bulkJob,
        `doc-${i}.md`,
        `# Document ${i}\n\n${paragraph(i, 150)}\n\n## Results\n\n${paragraph(i + 1, 150)}`,
      ),
    ),
  );
  const docs = await waitReady(bulkJob, new Set(ids));
  const seconds = (performance.now() - t0) / 1000;
  const chunks = docs.reduce((n, d) => n + d.chunks, 0);
  console.log(
    `\n${DOCS} Markdown documents uploaded at once: ${chunks} chunks in ${seconds.toFixed(1)} s = ${(chunks / seconds).toFixed(1)} chunks/s, ${(DOCS / seconds).toFixed(1)} documents/s`,
  );
} finally {
  await stack.close();
  await chroma.stop();
  await temporal.stop();
}
