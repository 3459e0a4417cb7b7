// A finished session exported through the real stack, as Markdown and as PDF.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { apiClient, createReadyJob, JOB } from '../support/client.js';
import { startStack, type TestStack } from '../support/stack.js';
import { exportFilename, toMarkdown, toPdf } from '../../api/services/export.js';

let stack: TestStack;
let client: ReturnType<typeof apiClient>;
let sessionId: string;

type Session = {
  status: string;
  turns: { question: string; probeOf?: string; feedback?: { rewrite: string } }[];
};

beforeAll(async () => {
  stack = await startStack();
  client = apiClient(stack.baseUrl);
  const jobId = await createReadyJob(client);
  sessionId = await client.answeredSession(jobId);
  await client.call('POST', `/api/sessions/${sessionId}/next`);
  await client.waitStatus(sessionId, 'completed');
});
afterAll(() => stack?.close());

async function download(path: string) {
  const res = await fetch(stack.baseUrl + path);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

it('exports a session as Markdown', async () => {
  const session = (await client.call<Session>('GET', `/api/sessions/${sessionId}`)).json;
  const first = session.turns.find((t) => !t.probeOf)!;
  const { res, bytes } = await download(`/api/sessions/${sessionId}/export.md`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
  const date = new Date().toISOString().slice(0, 10);
  expect(res.headers.get('content-disposition')).toBe(
    `attachment; filename="interview-product-manager-patient-scheduling-${date}.md"`,
  );
  const md = new TextDecoder().decode(bytes);
  expect(md).toContain(`# Interview practice: ${JOB.title}`);
  expect(md).toContain('**Module:** behavioral');
  // The question is quoted; its words survive the escaping.
  expect(md).toContain(first.question.split('\n')[0]!.split(' ').slice(0, 4).join(' '));
  expect(md).toContain('surprise fees caused most drop-offs');
  expect(md).toMatch(/- \*\*STAR:\*\* [1-5]\/5/);
  expect(md).toContain('### Suggested rewrite');
  expect(md).toContain(first.feedback!.rewrite.trim().split('\n')[0]!.slice(0, 30));
  expect(md).toContain('## Debrief');
});

it('exports a session as PDF', async () => {
  const { res, bytes } = await download(`/api/sessions/${sessionId}/export.pdf`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="interview-.*\.pdf"$/);
  expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
  const doc = await PDFDocument.load(bytes);
  expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);

  const pdf = await getDocument({ data: bytes.slice(), isEvalSupported: false }).promise;
  let text = '';
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    text += content.items.map((it) => ('str' in it ? it.str : '')).join(' ') + '\n';
  }
  await pdf.destroy();
  expect(text.replace(/\s+/g, ' ')).toContain('surprise fees caused most drop-offs');
  expect(text).toContain(JOB.title);
});

it('answers 404 for an unknown session', async () => {
  for (const ext of ['md', 'pdf']) {
    const res = await client.call('GET', `/api/sessions/no-such-session/export.${ext}`);
    expect(res.status).toBe(404);
    expect(res.type).toContain('application/problem+json');
  }
});

it('draws text Helvetica cannot encode and wraps long lines onto new pages', async () => {
  const long = 'A “quoted” answer — with emoji 🚀, ellipsis…, ‘ticks’, ✓ and 中文. '.repeat(150);
  const data = {
    jobTitle: '# Heading job 🚀',
    company: 'Ünïcode Co',
    module: 'behavioral',
    mode: 'text',
    status: 'completed',
    date: new Date('2025-01-02T00:00:00Z'),
    turns: [{ id: 't1', round: 1, question: '# not a heading\n> nor a quote', answer: long }],
  };
  expect(exportFilename(data, 'pdf')).toBe('interview-heading-job-2025-01-02.pdf');
  const md = toMarkdown(data);
  expect(md).toContain('\n### Answer\n\nA \u201cquoted\u201d answer');
  expect(md).toContain('> \\# not a heading\n> \\> nor a quote');
  const doc = await PDFDocument.load(await toPdf(data));
  expect(doc.getPageCount()).toBeGreaterThan(1);
});
