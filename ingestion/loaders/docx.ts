// DOCX: the zip is checked before mammoth inflates it. First the central directory (entry count and the
// sizes it declares), then every entry is inflated once and discarded while counting the bytes actually
// produced, so a directory that lies about sizes cannot slip a bomb past the first check.
import mammoth from 'mammoth';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { mismatch } from './sniff.js';
import { DocumentRejected, formatMegabytes, type LoadContext, type Loader } from './types.js';

const DOCUMENT_PART = 'word/document.xml';

function corrupt(name: string, cause?: unknown): DocumentRejected {
  return new DocumentRejected(
    `${name} could not be opened as a Word document; the file may be damaged. Re-save it as .docx and upload it again.`,
    'corrupt',
    { cause },
  );
}

function bomb(name: string, why: string): DocumentRejected {
  return new DocumentRejected(
    `${name} was rejected: ${why}, which is more than a real document needs.`,
    'zip_bomb',
  );
}

function openZip(bytes: Uint8Array): Promise<ZipFile> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true },
      (err, zip) => (err ? reject(err) : resolve(zip)),
    ),
  );
}

/** Reads the central directory only; nothing is inflated. */
function readDirectory(zip: ZipFile, name: string, ctx: LoadContext): Promise<Entry[]> {
  const { maxZipEntries, maxUnzippedBytes } = ctx.limits;
  if (zip.entryCount > maxZipEntries) {
    return Promise.reject(
      bomb(name, `its zip holds ${zip.entryCount} files (the limit is ${maxZipEntries})`),
    );
  }
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    let declared = 0;
    zip.on('entry', (entry: Entry) => {
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      entries.push(entry);
      declared += entry.uncompressedSize;
      if (entries.length > maxZipEntries) {
        return reject(bomb(name, `its zip holds more than ${maxZipEntries} files`));
      }
      if (declared > maxUnzippedBytes) {
        return reject(
          bomb(name, `it would unpack to more than ${formatMegabytes(maxUnzippedBytes)} (the limit)`),
        );
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** Inflates every entry and throws the bytes away, stopping as soon as the real total passes the limit. */
async function inflateAll(zip: ZipFile, entries: Entry[], name: string, ctx: LoadContext): Promise<void> {
  const limit = ctx.limits.maxUnzippedBytes;
  let produced = 0;
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    const stream = await zip.openReadStreamPromise(entry);
    const onAbort = () => stream.destroy(ctx.signal.reason as Error);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        produced += chunk.length;
        if (produced > limit) {
          stream.destroy();
          throw bomb(name, `it unpacks to more than ${formatMegabytes(limit)} (the limit)`);
        }
      }
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }
}

async function checkZip(bytes: Uint8Array, ctx: LoadContext): Promise<void> {
  const { name } = ctx;
  let zip: ZipFile;
  try {
    zip = await openZip(bytes);
  } catch (cause) {
    throw corrupt(name, cause);
  }
  try {
    const entries = await readDirectory(zip, name, ctx);
    if (!entries.some((e) => e.fileName === DOCUMENT_PART)) {
      throw await mismatch(bytes, name, 'a Word document');
    }
    await inflateAll(zip, entries, name, ctx);
  } catch (err) {
    if (err instanceof DocumentRejected || ctx.signal.aborted) throw err;
    // yauzl's validateEntrySizes: an entry inflated past the size the directory declared for it.
    if (err instanceof Error && err.message.startsWith('too many bytes in the stream')) {
      throw bomb(name, 'its zip directory understates how much it unpacks to');
    }
    // yauzl's own checks (bad offsets, sizes that disagree with the directory, broken deflate data).
    throw corrupt(name, err);
  } finally {
    zip.close();
  }
}

export const docxLoader: Loader = {
  format: 'docx',
  async load(bytes, ctx) {
    const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
    if (!isZip) throw await mismatch(bytes, ctx.name, 'a Word (.docx) document');
    await checkZip(bytes, ctx);
    try {
      const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
      return { text: result.value };
    } catch (cause) {
      throw corrupt(ctx.name, cause);
    }
  },
};
