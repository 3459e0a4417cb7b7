// Seeded, reproducible malformed uploads: PDFs, DOCX files (zip mutations) and audio recordings, made from a
// few valid seeds by mutators chosen with a PRNG. The same seed gives the same cases, byte for byte; a
// failure names its case id (`<kind>-<n>-<mutation>`) so it can be regenerated alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export type Rng = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, max: number) => Math.floor(r() * max);
const pick = <T>(r: Rng, items: readonly T[]): T => items[int(r, items.length)]!;
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

// ------------------------------------------------------------------------------------------ byte mutators

function truncate(r: Rng, b: Uint8Array): Uint8Array {
  return b.slice(0, int(r, b.length));
}

function bitflip(r: Rng, b: Uint8Array): Uint8Array {
  const out = b.slice();
  for (let n = 1 + int(r, 24); n > 0; n--) out[int(r, out.length)]! ^= 1 << int(r, 8);
  return out;
}

function splice(r: Rng, b: Uint8Array): Uint8Array {
  const from = int(r, b.length);
  const len = int(r, Math.min(4096, b.length - from));
  const at = int(r, b.length);
  return concat(b.subarray(0, at), b.subarray(from, from + len), b.subarray(at));
}

function cut(r: Rng, b: Uint8Array): Uint8Array {
  const from = int(r, b.length);
  return concat(b.subarray(0, from), b.subarray(Math.min(b.length, from + 1 + int(r, 2048))));
}

/** Overwrites a run with one byte value: zeros or 0xff runs hit length and offset fields. */
function smear(r: Rng, b: Uint8Array): Uint8Array {
  const out = b.slice();
  const from = int(r, out.length);
  out.fill(pick(r, [0x00, 0xff, 0x7f, 0x80]), from, Math.min(out.length, from + 1 + int(r, 64)));
  return out;
}

const BYTE_MUTATORS = { truncate, bitflip, splice, cut, smear } as const;

// ------------------------------------------------------------------------------------------------- PDF

const PDF_TEXT = [
  'Product Manager, Patient Scheduling',
  'Requirements: discovery with clinicians, writing clear requirements, running A/B tests.',
  'Contoso Health runs scheduling for 300 clinics.',
];

async function pdfSeeds(): Promise<Uint8Array[]> {
  const one = await PDFDocument.create();
  const font = await one.embedFont(StandardFonts.Helvetica);
  const page = one.addPage([420, 300]);
  PDF_TEXT.forEach((line, i) => page.drawText(line, { x: 20, y: 260 - i * 20, size: 10, font }));
  const three = await PDFDocument.create();
  const f3 = await three.embedFont(StandardFonts.TimesRoman);
  for (let p = 1; p <= 3; p++) {
    const pg = three.addPage([420, 300]);
    pg.drawText('Contoso Health - Job description', { x: 20, y: 280, size: 9, font: f3 });
    pg.drawText(`${PDF_TEXT[p - 1]}`, { x: 20, y: 200, size: 11, font: f3 });
    pg.drawText(`Page ${p} of 3`, { x: 20, y: 20, size: 9, font: f3 });
  }
  return [
    await one.save(),
    // Without object streams the objects, /Length and xref are plain text for the structural mutators.
    await one.save({ useObjectStreams: false }),
    await three.save({ useObjectStreams: false }),
    fromLatin1(handwrittenPdf('BT /F1 12 Tf 20 250 Td (Requirements: running A/B tests.) Tj ET')),
  ];
}

/** A minimal text PDF with a correct xref, written out so structure can be forged precisely. */
function handwrittenPdf(
  content: string,
  extra: { pages?: string; trailer?: string; objects?: string[] } = {},
) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    extra.pages ?? '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...(extra.objects ?? []),
  ];
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extra.trailer ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

const PDF_MUTATORS: Record<string, (r: Rng, seed: Uint8Array) => Uint8Array> = {
  ...BYTE_MUTATORS,
  xref: (r, b) =>
    fromLatin1(
      latin1(b).replace(/(startxref\s+)\d+|(\d{10}) (\d{5}) n/g, (m, sx: string | undefined) =>
        sx ? `${sx}${int(r, 1e9)}` : `${String(int(r, 1e10)).padStart(10, '0')} 00000 n`,
      ),
    ),
  hugeLength: (r, b) =>
    fromLatin1(
      latin1(b).replace(/\/Length \d+/g, () => `/Length ${pick(r, ['9999999999', '-1', '0', '2147483648'])}`),
    ),
  deepNesting: (r) =>
    fromLatin1(handwrittenPdf('BT ET', { objects: [`${'['.repeat(20_000 + int(r, 80_000))}]`] })),
  selfReferentialPages: () =>
    fromLatin1(handwrittenPdf('BT ET', { pages: '<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>' })),
  hugePageCount: () =>
    fromLatin1(handwrittenPdf('BT ET', { pages: '<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>' })),
  badFilter: (r) => {
    const garbage = Buffer.from(Array.from({ length: 256 + int(r, 4096) }, () => int(r, 256))).toString(
      'latin1',
    );
    const filter = pick(r, [
      '/FlateDecode',
      '[/FlateDecode /ASCII85Decode]',
      '/LZWDecode',
      '/JBIG2Decode',
      '/DCTDecode',
    ]);
    return fromLatin1(
      handwrittenPdf('BT ET').replace(
        '<< /Length 5 >>\nstream\nBT ET',
        `<< /Length ${garbage.length} /Filter ${filter} >>\nstream\n${garbage}`,
      ),
    );
  },
  encrypted: () =>
    fromLatin1(
      handwrittenPdf('BT ET', {
        trailer: '/Encrypt 6 0 R ',
        objects: ['<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>'],
      }),
    ),
  manyPages: (r) => {
    const n = 200 + int(r, 800);
    const kids = Array.from({ length: n }, () => '3 0 R').join(' ');
    return fromLatin1(
      handwrittenPdf('BT /F1 9 Tf 10 10 Td (x) Tj ET', {
        pages: `<< /Type /Pages /Kids [${kids}] /Count ${n} >>`,
      }),
    );
  },
  headerOnly: (r) => concat(fromLatin1('%PDF-1.7\n'), randomBytes(r, int(r, 8192))),
  notAPdf: (r) => randomBytes(r, 1 + int(r, 4096)),
};

function randomBytes(r: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(r, 256);
  return out;
}

// ------------------------------------------------------------------------------------------------- ZIP

interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** 0 stored, 8 deflated (default); anything else is written as given, for unsupported methods. */
  method?: number;
  /** Precompressed bytes (method 8) with the sizes to declare: for bombs without inflating them here. */
  raw?: { bytes: Uint8Array; size: number; crc: number };
  forge?: Partial<{ flags: number; compSize: number; size: number; crc: number }>;
}

/** A zip writer small enough to forge: every header field can be overridden per entry. */
export function zip(
  entries: ZipEntry[],
  forge: Partial<{ count: number; cdOffset: number; cdSize: number }> = {},
) {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.raw ? 8 : (e.method ?? 8);
    const body = e.raw ? e.raw.bytes : method === 8 ? deflateRawSync(e.data) : e.data;
    const size = e.raw ? e.raw.size : e.data.length;
    const crc = e.raw ? e.raw.crc : crc32(e.data);
    const f = { flags: 0, compSize: body.length, size, crc, ...e.forge };
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(f.flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(f.crc >>> 0, 14);
    local.writeUInt32LE(f.compSize >>> 0, 18);
    local.writeUInt32LE(f.size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, Buffer.from(body));
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(f.flags, 8);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(f.crc >>> 0, 16);
    cd.writeUInt32LE(f.compSize >>> 0, 20);
    cd.writeUInt32LE(f.size >>> 0, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE((forge.count ?? entries.length) & 0xffff, 8);
  eocd.writeUInt16LE((forge.count ?? entries.length) & 0xffff, 10);
  eocd.writeUInt32LE((forge.cdSize ?? cdBytes.length) >>> 0, 12);
  eocd.writeUInt32LE((forge.cdOffset ?? offset) >>> 0, 16);
  return new Uint8Array(Buffer.concat([...locals, cdBytes, eocd]));
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const documentXml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
const paragraphs = (lines: string[]) => lines.map((l) => `<w:p><w:r><w:t>${l}</w:t></w:r></w:p>`).join('');
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

function docxEntries(body = paragraphs(PDF_TEXT)): ZipEntry[] {
  return [
    { name: '[Content_Types].xml', data: utf8(CONTENT_TYPES) },
    { name: '_rels/.rels', data: utf8(RELS) },
    { name: 'word/document.xml', data: utf8(documentXml(body)) },
  ];
}

/** Precompressed once: 64 MB of one repeated paragraph deflates to about 64 KB. */
let bombPart: ZipEntry['raw'] | undefined;
function bomb(): NonNullable<ZipEntry['raw']> {
  if (!bombPart) {
    const data = Buffer.alloc(64 * 1024 * 1024, '<w:p><w:r><w:t>a</w:t></w:r></w:p>');
    bombPart = { bytes: deflateRawSync(data, { level: 9 }), size: data.length, crc: crc32(data) };
  }
  return bombPart;
}

const DOCX_MUTATORS: Record<string, (r: Rng, seed: Uint8Array) => Uint8Array> = {
  ...BYTE_MUTATORS,
  badCentralDirectory: (r) =>
    zip(
      docxEntries(),
      pick(r, [{ cdOffset: int(r, 1 << 30) }, { cdSize: int(r, 1 << 30) }, { count: 0 }, { count: 65535 }]),
    ),
  hugeDeclaredSize: (r) =>
    zip(
      docxEntries().map((e) =>
        e.name === 'word/document.xml' ? { ...e, forge: { size: 0xfffffff0 - int(r, 1000) } } : e,
      ),
    ),
  understatedSize: () =>
    zip(docxEntries().map((e) => (e.name === 'word/document.xml' ? { ...e, forge: { size: 10 } } : e))),
  zipBomb: () =>
    zip([
      ...docxEntries().filter((e) => e.name !== 'word/document.xml'),
      { name: 'word/document.xml', data: new Uint8Array(), raw: bomb() },
    ]),
  understatedBomb: () =>
    zip([
      ...docxEntries().filter((e) => e.name !== 'word/document.xml'),
      { name: 'word/document.xml', data: new Uint8Array(), raw: { ...bomb(), size: 1000 } },
    ]),
  manyEntries: (r) =>
    zip([
      ...docxEntries(),
      ...Array.from({ length: 1001 + int(r, 2000) }, (_, i) => ({
        name: `word/media/x${i}.bin`,
        data: utf8('x'),
        method: 0,
      })),
    ]),
  nestedZip: (r) => {
    let inner = zip(docxEntries());
    for (let depth = 1 + int(r, 6); depth > 0; depth--)
      inner = zip([...docxEntries(), { name: `word/embeddings/nested${depth}.docx`, data: inner }]);
    return pick(r, [inner, zip([...docxEntries().slice(0, 2), { name: 'word/document.xml', data: inner }])]);
  },
  billionLaughs: (r) => {
    const levels = 6 + int(r, 4);
    let dtd = '<!ENTITY l0 "lol">';
    for (let i = 1; i <= levels; i++) dtd += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
    const xml = `<?xml version="1.0"?><!DOCTYPE w:document [${dtd}]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&l${levels};</w:t></w:r></w:p></w:body></w:document>`;
    return zip([...docxEntries().slice(0, 2), { name: 'word/document.xml', data: utf8(xml) }]);
  },
  externalEntity: () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`;
    return zip([...docxEntries().slice(0, 2), { name: 'word/document.xml', data: utf8(xml) }]);
  },
  malformedXml: (r) => {
    const xml = documentXml(paragraphs(PDF_TEXT));
    return zip([
      ...docxEntries().slice(0, 2),
      {
        name: 'word/document.xml',
        data: utf8(xml.slice(0, int(r, xml.length)) + pick(r, ['', '<w:p', ']]>', '&#xFFFFFFFF;', '\u0000'])),
      },
    ]);
  },
  deepXml: (r) => {
    const depth = 5000 + int(r, 50_000);
    return zip([
      ...docxEntries().slice(0, 2),
      {
        name: 'word/document.xml',
        data: utf8(documentXml(`${'<w:p>'.repeat(depth)}x${'</w:p>'.repeat(depth)}`)),
      },
    ]);
  },
  missingDocument: () => zip(docxEntries().slice(0, 2)),
  pathTraversal: (r) =>
    zip([
      ...docxEntries(),
      {
        name: pick(r, ['../../../../tmp/evil.txt', '/etc/evil', 'word\\..\\..\\evil', 'word/\u0000evil']),
        data: utf8('evil'),
      },
    ]),
  duplicateNames: () => zip([...docxEntries(), ...docxEntries()]),
  unsupportedMethod: (r) =>
    zip(
      docxEntries().map((e) =>
        e.name === 'word/document.xml' ? { ...e, method: pick(r, [1, 6, 12, 14, 95, 99]) } : e,
      ),
    ),
  encryptedFlag: () => zip(docxEntries().map((e) => ({ ...e, forge: { flags: 1 } }))),
  badCrc: () => zip(docxEntries().map((e) => ({ ...e, forge: { crc: 0xdeadbeef } }))),
  notAZip: (r) => concat(fromLatin1('PK\u0003\u0004'), randomBytes(r, int(r, 4096))),
  empty: () => new Uint8Array(),
};

// ----------------------------------------------------------------------------------------------- audio

/** A 1.5 s voiced tone (syllable-like bursts) as 16-bit PCM WAV. */
function toneWav(seconds = 1.5, rate = 16000): Uint8Array {
  const n = Math.floor(seconds * rate);
  const pcm = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const envelope = 0.5 + 0.5 * Math.sin((2 * Math.PI * 4 * i) / rate);
    pcm.writeInt16LE(Math.round(12000 * envelope * Math.sin((2 * Math.PI * 220 * i) / rate)), i * 2);
  }
  return wav(pcm, rate);
}

function wav(
  pcm: Buffer,
  rate: number,
  forge: Partial<{ riff: number; channels: number; rate: number; bits: number; data: number }> = {},
) {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(forge.riff ?? 36 + pcm.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(forge.channels ?? 1, 22);
  h.writeUInt32LE(forge.rate ?? rate, 24);
  h.writeUInt32LE(((forge.rate ?? rate) * 2) >>> 0, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(forge.bits ?? 16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(forge.data ?? pcm.length, 40);
  return new Uint8Array(Buffer.concat([h, pcm]));
}

/** The browser's containers, encoded once from the tone by ffmpeg (Debian package). */
function audioSeeds(): Uint8Array[] {
  const base = toneWav();
  const dir = mkdtempSync(path.join(tmpdir(), 'ih-fuzz-audio-'));
  try {
    const input = path.join(dir, 'tone.wav');
    writeFileSync(input, base);
    const encoded = [
      ['webm', ['-c:a', 'libopus']],
      ['ogg', ['-c:a', 'libopus']],
      ['m4a', ['-c:a', 'aac']],
      ['mp3', ['-c:a', 'libmp3lame']],
    ].flatMap(([ext, args]) => {
      const out = path.join(dir, `tone.${ext as string}`);
      const run = spawnSync('ffmpeg', [
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-i',
        input,
        ...(args as string[]),
        out,
      ]);
      return run.status === 0 ? [new Uint8Array(readFileSync(out))] : [];
    });
    return [base, ...encoded];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const AUDIO_MUTATORS: Record<string, (r: Rng, seed: Uint8Array) => Uint8Array> = {
  ...BYTE_MUTATORS,
  wavHeader: (r) => {
    const pcm = Buffer.from(toneWav().subarray(44));
    return wav(
      pcm,
      16000,
      pick(r, [
        { riff: 0xffffffff },
        { channels: 0 },
        { rate: 0 },
        { bits: 0 },
        { bits: 7 },
        { data: 0xfffffff0 },
        { channels: 65535 },
        { rate: 0xffffffff },
      ]),
    );
  },
  hugeDeclaredDuration: () =>
    wav(Buffer.from(toneWav().subarray(44)), 16000, { data: 0x7ffffff0, riff: 0x7ffffff8 }),
  silence: (r) => wav(Buffer.alloc(16000 * 2 * (1 + int(r, 3))), 16000),
  magicThenGarbage: (r) =>
    concat(
      fromLatin1(
        pick(r, [
          'OggS',
          'RIFF\u0000\u0000\u0000\u0000WAVE',
          '\u001aE\u00df\u00a3',
          'ID3\u0003\u0000',
          '\u0000\u0000\u0000\u0018ftypM4A ',
        ]),
      ),
      randomBytes(r, int(r, 8192)),
    ),
  headerOnly: (r, seed) => seed.slice(0, 12 + int(r, 64)),
  notAudio: (r) =>
    pick(r, [fromLatin1('%PDF-1.7\n'), fromLatin1('<html></html>'), randomBytes(r, 1 + int(r, 1024))]),
};

// ------------------------------------------------------------------------------------------------ cases

export type FuzzKind = 'pdf' | 'docx' | 'audio';

export interface FuzzCase {
  id: string;
  kind: FuzzKind;
  mutation: string;
  name: string;
  bytes: Uint8Array;
}

export interface Seeds {
  pdf: Uint8Array[];
  docx: Uint8Array[];
  audio: Uint8Array[];
}

export async function makeSeeds(): Promise<Seeds> {
  return {
    pdf: await pdfSeeds(),
    docx: [
      zip(docxEntries()),
      zip(docxEntries(paragraphs([...PDF_TEXT, ...PDF_TEXT])).map((e) => ({ ...e, method: 0 }))),
    ],
    audio: audioSeeds(),
  };
}

const MUTATORS: Record<FuzzKind, Record<string, (r: Rng, seed: Uint8Array) => Uint8Array>> = {
  pdf: PDF_MUTATORS,
  docx: DOCX_MUTATORS,
  audio: AUDIO_MUTATORS,
};
const EXTENSION: Record<FuzzKind, string> = { pdf: 'pdf', docx: 'docx', audio: 'webm' };

/**
 * The cases, made one at a time (a few thousand are never all in memory): case n of a kind depends only on
 * the seed and n. Byte-level mutators get half the draws, structural ones the other half.
 */
export function* fuzzCases(
  seeds: Seeds,
  seed: number,
  counts: Record<FuzzKind, number>,
): Generator<FuzzCase> {
  for (const kind of ['pdf', 'docx', 'audio'] as const) {
    const mutators = Object.keys(MUTATORS[kind]);
    const byteLevel = mutators.filter((m) => m in BYTE_MUTATORS);
    const structural = mutators.filter((m) => !(m in BYTE_MUTATORS));
    for (let n = 0; n < counts[kind]; n++) {
      const r = rng(seed * 1_000_003 + n * 7919 + kind.length);
      const mutation = r() < 0.5 ? pick(r, byteLevel) : pick(r, structural);
      const base = pick(r, seeds[kind]);
      // Byte mutators sometimes stack, as real damage does.
      let bytes = MUTATORS[kind][mutation]!(r, base);
      if (mutation in BYTE_MUTATORS && r() < 0.3) bytes = pick(r, Object.values(BYTE_MUTATORS))(r, bytes);
      yield { id: `${kind}-${n}-${mutation}`, kind, mutation, name: `fuzz-${n}.${EXTENSION[kind]}`, bytes };
    }
  }
}
