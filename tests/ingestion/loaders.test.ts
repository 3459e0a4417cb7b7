// Document loaders: what a user uploading a job description or a CV would see, file by file.
import { readFileSync } from 'node:fs';
import JSZip from 'jszip';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it, vi } from 'vitest';
import {
  checkFileName,
  DocumentRejected,
  dropRunningLines,
  loadDocument,
  type RejectionCode,
} from '../../ingestion/loaders/index.js';

// Every PDF worker the loaders start, so a test can see that a timed-out one was really terminated.
const workers = vi.hoisted(() => [] as { exited: boolean }[]);
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class TrackedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      const record = { exited: false };
      workers.push(record);
      this.once('exit', () => (record.exited = true));
    }
  }
  return { ...actual, Worker: TrackedWorker };
});

const FIXTURES = new URL('../fixtures/documents/', import.meta.url);
const utf8 = (text: string) => new TextEncoder().encode(text);
// A real 1x1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

async function rejection(promise: Promise<unknown>): Promise<DocumentRejected> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentRejected);
    return err as DocumentRejected;
  }
  throw new Error('expected the document to be rejected');
}

async function expectRejected(
  bytes: Uint8Array,
  name: string,
  code: RejectionCode,
  limits?: Parameters<typeof loadDocument>[2],
): Promise<DocumentRejected> {
  const err = await rejection(loadDocument(bytes, name, limits));
  expect(err.code).toBe(code);
  expect(err.reason).toContain(name);
  return err;
}

async function textPdf(pages: string[][], header?: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  pages.forEach((lines, i) => {
    const page = doc.addPage([600, 800]);
    if (header) page.drawText(header, { x: 50, y: 770, size: 9, font });
    lines.forEach((line, j) => page.drawText(line, { x: 50, y: 700 - j * 18, size: 12, font }));
    page.drawText(`Page ${i + 1} of ${pages.length}`, { x: 270, y: 30, size: 9, font });
  });
  return doc.save();
}

const JOB_PAGES = [
  ['Requirements', 'Five years of TypeScript in production.', 'Experience with Temporal workflows.'],
  ['Responsibilities', 'Own the ingestion pipeline end to end.', 'Mentor two junior engineers.'],
  ['Benefits', 'Remote first, with a yearly team offsite.', 'Learning budget of 2000 euros.'],
];

async function imageOnlyPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([600, 800]).drawRectangle({ x: 50, y: 50, width: 500, height: 700 });
  doc.addPage([600, 800]).drawRectangle({ x: 80, y: 80, width: 300, height: 300 });
  return doc.save();
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;
const documentXml = (paragraphs: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
${paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('\n')}
</w:body></w:document>`;

function docxZip(paragraphs: string[]): JSZip {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', CONTENT_TYPES);
  zip.file('_rels/.rels', RELS);
  zip.file('word/document.xml', documentXml(paragraphs));
  return zip;
}

const zipBytes = (zip: JSZip) => zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });

const CV_PARAGRAPHS = ['Jane Doe', 'Experience', 'Built a search service in TypeScript & Node.js.'];

/** A DOCX whose zip directory claims its 1 MB entry is 10 bytes: only inflating it shows the truth. */
async function lyingDocx(): Promise<Uint8Array> {
  const zip = docxZip(CV_PARAGRAPHS);
  zip.file('word/media/filler.bin', new Uint8Array(1024 * 1024));
  const bytes = await zipBytes(zip);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameAt = (offset: number, nameLength: number) =>
    new TextDecoder().decode(bytes.subarray(offset, offset + nameLength));
  for (let i = 0; i + 46 < bytes.length; i++) {
    const signature = view.getUint32(i, true);
    if (signature === 0x04034b50 && nameAt(i + 30, view.getUint16(i + 26, true)) === 'word/media/filler.bin')
      view.setUint32(i + 22, 10, true);
    if (signature === 0x02014b50 && nameAt(i + 46, view.getUint16(i + 28, true)) === 'word/media/filler.bin')
      view.setUint32(i + 24, 10, true);
  }
  return bytes;
}

const HTML = `<!doctype html>
<html><head><title>Careers</title><style>body { color: red }</style>
<script>window.track("Tracking script text")</script></head>
<body>
<header><a href="/">Acme home</a></header>
<nav><ul><li><a href="/jobs">All jobs</a></li><li>Login menu</li></ul></nav>
<main><article>
<h1>Senior Backend Engineer</h1>
<p>We build tools for R&amp;D teams &mdash; join&nbsp;us.</p>
<h2>Requirements</h2>
<ul><li>Postgres</li><li>Kubernetes</li></ul>
</article></main>
<noscript>Please enable JavaScript</noscript>
<footer>Copyright Acme Footer Inc</footer>
</body></html>`;

const MARKDOWN = `# Staff Engineer

Join **Acme** and help us _ship_ faster. Read [our handbook](https://acme.example/handbook).

![team photo](team.png)

## Requirements

* Deep knowledge of \`TypeScript\`
* Experience with ~~Java~~ Go

\`\`\`ts
const answer = 42;
\`\`\`
`;

describe('loadDocument: formats', () => {
  it('reads a text PDF page by page and drops its running header and "Page N of 3" footer', async () => {
    const doc = await loadDocument(await textPdf(JOB_PAGES, 'ACME Corp - Confidential'), 'job.pdf');
    expect(doc.format).toBe('pdf');
    expect(doc.pages).toBe(3);
    for (const line of JOB_PAGES.flat()) expect(doc.text).toContain(line);
    expect(doc.text).not.toContain('ACME Corp');
    expect(doc.text).not.toMatch(/Page \d of 3/);
    // Each drawn line stays its own line, in reading order.
    expect(doc.text.indexOf('Requirements')).toBeLessThan(doc.text.indexOf('Benefits'));
    expect(doc.text.split('\n')).toContain('Five years of TypeScript in production.');
  });

  it('reads a DOCX into its paragraphs', async () => {
    const doc = await loadDocument(await zipBytes(docxZip(CV_PARAGRAPHS)), 'cv.docx');
    expect(doc.format).toBe('docx');
    expect(doc.text).toContain('Jane Doe');
    expect(doc.text).toContain('Built a search service in TypeScript & Node.js.');
    expect(doc.pages).toBeUndefined();
  });

  it('reads the article of an HTML page without its navigation, scripts and footer', async () => {
    const doc = await loadDocument(utf8(HTML), 'posting.html');
    expect(doc.format).toBe('html');
    expect(doc.text).toContain('# Senior Backend Engineer');
    expect(doc.text.split('\n')).toContain('## Requirements');
    expect(doc.text).toContain('We build tools for R&D teams — join us.');
    expect(doc.text).toContain('Kubernetes');
    for (const noise of [
      'Tracking script',
      'color: red',
      'All jobs',
      'Login menu',
      'Acme home',
      'enable JavaScript',
    ])
      expect(doc.text).not.toContain(noise);
    expect(doc.text).not.toContain('Footer Inc');
    expect(doc.text).not.toContain('Careers');
  });

  it('reads Markdown with its headings kept and its markup removed', async () => {
    const doc = await loadDocument(utf8(MARKDOWN), 'posting.md');
    expect(doc.format).toBe('markdown');
    const lines = doc.text.split('\n');
    expect(lines).toContain('# Staff Engineer');
    expect(lines).toContain('## Requirements');
    expect(doc.text).toContain('Join Acme and help us ship faster. Read our handbook.');
    expect(doc.text).toContain('- Deep knowledge of TypeScript');
    expect(doc.text).toContain('const answer = 42;');
    expect(doc.text).not.toMatch(/team photo|team\.png|https:|\*\*|```/);
  });

  it('skips Markdown front matter and reads a setext heading as a heading', async () => {
    const doc = await loadDocument(
      utf8('---\ntitle: Job\ntags: [a]\n---\nOverview\n========\nShip it.'),
      'job.md',
    );
    expect(doc.text).toBe('# Overview\nShip it.');
  });

  it('reads an HTML page whose whole body sits in a form (as WebForms pages do)', async () => {
    const doc = await loadDocument(
      utf8('<body><form><div><p>Role: Data Engineer</p></div></form></body>'),
      'a.htm',
    );
    expect(doc.text).toBe('Role: Data Engineer');
  });

  it('reads plain text as it is, cleaned', async () => {
    const doc = await loadDocument(utf8('\ufeffSkills:\r\nTypeScript,\t\tGo\r\n\r\n\r\n\r\nDone.'), 'cv.txt');
    expect(doc).toEqual({ format: 'text', text: 'Skills:\nTypeScript, Go\n\nDone.' });
  });

  it('accepts upper-case extensions', async () => {
    const doc = await loadDocument(utf8('# Notes\n\nHello'), 'NOTES.MARKDOWN');
    expect(doc.format).toBe('markdown');
  });
});

describe('loadDocument: rejections name the file and say why', () => {
  it('rejects a PNG named notes.txt as a type mismatch', async () => {
    const err = await expectRejected(PNG, 'notes.txt', 'type_mismatch');
    expect(err.reason).toBe('notes.txt looks like a PNG image, not text.');
  });

  it('rejects a PDF named .docx and text named .pdf as type mismatches', async () => {
    const pdf = await textPdf([['Hello']]);
    expect((await expectRejected(pdf, 'cv.docx', 'type_mismatch')).reason).toContain('looks like a PDF');
    await expectRejected(utf8('just some text'), 'cv.pdf', 'type_mismatch');
    await expectRejected(await zipBytes(new JSZip().file('a.txt', 'hi')), 'cv.docx', 'type_mismatch');
  });

  it('rejects binary bytes or invalid UTF-8 in a text format', async () => {
    await expectRejected(new Uint8Array([0x68, 0x69, 0x00, 0x68, 0x69]), 'nul.md', 'type_mismatch');
    await expectRejected(new Uint8Array([0x68, 0xc3, 0x28, 0x69]), 'latin.html', 'type_mismatch');
  });

  it('rejects unknown extensions, listing the supported ones', async () => {
    const err = await expectRejected(utf8('MZ'), 'setup.exe', 'unsupported');
    for (const ext of ['.pdf', '.docx', '.html', '.md', '.txt']) expect(err.reason).toContain(ext);
    await expectRejected(utf8('hello'), 'README', 'unsupported');
  });

  it('rejects empty files and files with only whitespace', async () => {
    await expectRejected(new Uint8Array(0), 'empty.pdf', 'empty');
    await expectRejected(utf8('  \n\t \n'), 'blank.txt', 'empty');
    await expectRejected(utf8('<html><body><script>x()</script></body></html>'), 'blank.html', 'empty');
  });

  it('rejects a file over the size limit, naming the limit in MB', async () => {
    const err = await expectRejected(utf8('x'.repeat(2 * 1024 * 1024 + 1)), 'big.txt', 'too_large', {
      maxBytes: 2 * 1024 * 1024,
    });
    expect(err.reason).toContain('the limit is 2 MB');
  });

  it('rejects a truncated PDF as corrupt', async () => {
    const pdf = await textPdf(JOB_PAGES);
    await expectRejected(pdf.slice(0, 300), 'broken.pdf', 'corrupt');
  });

  it('rejects a password-protected PDF', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('encrypted.pdf', FIXTURES)));
    const err = await expectRejected(bytes, 'salaries.pdf', 'encrypted');
    expect(err.reason).toContain('remove the password and upload it again');
  });

  it('rejects a PDF with no text layer, pointing at OCR', async () => {
    const err = await expectRejected(await imageOnlyPdf(), 'scan.pdf', 'no_text');
    expect(err.reason).toContain('OCR is not supported yet');
  });

  it('rejects a corrupt DOCX', async () => {
    const bytes = await zipBytes(docxZip(CV_PARAGRAPHS));
    await expectRejected(bytes.slice(0, bytes.length - 40), 'cut.docx', 'corrupt');
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    garbage.set([0x50, 0x4b, 0x03, 0x04]);
    await expectRejected(garbage, 'garbage.docx', 'corrupt');
  });

  it('rejects a DOCX zip with more than 1000 entries before inflating it', async () => {
    const zip = docxZip(CV_PARAGRAPHS);
    for (let i = 0; i < 1001; i++) zip.file(`word/media/f${i}.txt`, 'x');
    const err = await expectRejected(await zipBytes(zip), 'many.docx', 'zip_bomb');
    expect(err.reason).toContain('1000');
  });

  it('rejects a DOCX that unpacks to more than 50 MB', async () => {
    const zip = docxZip(CV_PARAGRAPHS);
    zip.file('word/media/zeros.bin', new Uint8Array(51 * 1024 * 1024));
    const bytes = await zipBytes(zip);
    expect(bytes.length).toBeLessThan(200 * 1024); // small on disk
    const err = await expectRejected(bytes, 'bomb.docx', 'zip_bomb');
    expect(err.reason).toContain('50 MB');
  });

  it('rejects a DOCX whose zip directory understates what it unpacks to', async () => {
    await expectRejected(await lyingDocx(), 'liar.docx', 'zip_bomb');
  });

  it('stops a PDF that takes longer than its time limit and terminates its worker', async () => {
    const pdf = await textPdf(JOB_PAGES);
    const before = workers.length;
    const started = performance.now();
    const err = await expectRejected(pdf, 'slow.pdf', 'timeout', { timeoutMs: 1 });
    expect(err.reason).toContain('took too long');
    expect(performance.now() - started).toBeLessThan(1000);
    const spawned = workers.slice(before);
    expect(spawned.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(spawned.every((w) => w.exited)).toBe(true), { timeout: 1000 });
  });
});

describe('loadDocument: time limit', () => {
  it('cuts off a long PDF at its time limit and its worker stops at once', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < 500; i++) {
      const page = doc.addPage([600, 800]);
      for (let j = 0; j < 40; j++)
        page.drawText(`Line ${j} of page ${i}`, { x: 50, y: 760 - j * 18, size: 10, font });
    }
    const bytes = await doc.save(); // takes about 3 s to read in full
    const before = workers.length;
    const started = performance.now();
    await expectRejected(bytes, 'long.pdf', 'timeout', { timeoutMs: 400 });
    expect(performance.now() - started).toBeLessThan(1000);
    const spawned = workers.slice(before);
    expect(spawned).toHaveLength(1);
    await vi.waitFor(() => expect(spawned[0]!.exited).toBe(true), { timeout: 500, interval: 10 });
  });
});

describe('checkFileName', () => {
  it.each([
    '../x.pdf',
    'a/b.pdf',
    'a\\b.pdf',
    'a\u0000b.pdf',
    'a\nb.pdf',
    'cv\u202efdp.exe',
    '..',
    '',
    '   ',
  ])('rejects %j', async (name) => {
    expect(() => checkFileName(name)).toThrow(DocumentRejected);
    const err = await rejection(loadDocument(utf8('hello'), name));
    expect(err.code).toBe('bad_name');
    expect(err.reason).not.toMatch(/[\p{Cc}\u202e]/u); // shown escaped, never raw
  });

  it('rejects names longer than 200 characters', () => {
    expect(() => checkFileName(`${'a'.repeat(197)}.pdf`)).toThrow(DocumentRejected);
    expect(checkFileName(`${'a'.repeat(196)}.pdf`)).toHaveLength(200);
  });

  it('returns an ordinary name trimmed and otherwise unchanged', () => {
    expect(checkFileName('  Jane Doe – CV (2024).pdf ')).toBe('Jane Doe – CV (2024).pdf');
  });
});

describe('dropRunningLines', () => {
  it('drops lines repeated at the page edges but keeps repeated lines in the body', () => {
    const pages = [
      [
        'Acme Corp',
        'Summary of the role',
        'We are hiring',
        'Skills',
        'Go and Rust',
        'Salary band',
        'Apply now',
        'Page 1 of 3',
      ],
      [
        'Acme Corp',
        'Daily work',
        'Code review',
        'Skills',
        'Postgres',
        'Team of six',
        'Hybrid office',
        'Page 2 of 3',
      ],
      [
        'Acme Corp',
        'Benefits',
        'Pension',
        'Skills',
        'Learning budget',
        'Health cover',
        'Bike lease',
        'Page 3 of 3',
      ],
    ];
    const kept = dropRunningLines(pages.map((lines) => lines.join('\n')));
    expect(kept).toEqual(pages.map((lines) => lines.slice(1, -1).join('\n')));
  });

  it('leaves a single page alone', () => {
    expect(dropRunningLines(['Page 1 of 1\nHello'])).toEqual(['Page 1 of 1\nHello']);
  });
});

describe('loadDocument under load', () => {
  it('settles 20 parallel loads of mixed files, each with a result or a DocumentRejected', async () => {
    const pdf = await textPdf(JOB_PAGES, 'ACME Corp - Confidential');
    const docx = await zipBytes(docxZip(CV_PARAGRAPHS));
    const encrypted = new Uint8Array(readFileSync(new URL('encrypted.pdf', FIXTURES)));
    const files: [Uint8Array, string, string][] = [
      [pdf, 'job.pdf', 'pdf'],
      [docx, 'cv.docx', 'docx'],
      [utf8(HTML), 'page.html', 'html'],
      [utf8(MARKDOWN), 'notes.md', 'markdown'],
      [PNG, 'notes.txt', 'type_mismatch'],
      [pdf.slice(0, 300), 'broken.pdf', 'corrupt'],
      [encrypted, 'locked.pdf', 'encrypted'],
      [await imageOnlyPdf(), 'scan.pdf', 'no_text'],
      [new Uint8Array(0), 'empty.txt', 'empty'],
      [utf8('plain words'), 'a.txt', 'text'],
    ];
    const jobs = [...files, ...files];
    const results = await Promise.allSettled(jobs.map(([bytes, name]) => loadDocument(bytes, name)));
    results.forEach((result, i) => {
      const expected = jobs[i]![2];
      if (result.status === 'fulfilled') expect(result.value.format).toBe(expected);
      else {
        expect(result.reason).toBeInstanceOf(DocumentRejected);
        expect((result.reason as DocumentRejected).code).toBe(expected);
      }
    });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
  });
});
