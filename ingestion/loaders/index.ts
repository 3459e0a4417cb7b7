// One entry point for turning an upload into text: name and size checks, the format's loader (which
// confirms the bytes match the extension), a deadline, and `clean`. Every failure is a DocumentRejected.
import { clean } from '../chunk.js';
import { docxLoader } from './docx.js';
import { htmlLoader } from './html.js';
import { markdownLoader } from './markdown.js';
import { checkFileName } from './names.js';
import { pdfLoader } from './pdf.js';
import { textLoader } from './text.js';
import {
  DEFAULT_LIMITS,
  DocumentRejected,
  formatDuration,
  formatMegabytes,
  type LoadContext,
  type LoadedDocument,
  type Loader,
  type LoadLimits,
} from './types.js';

export { checkFileName } from './names.js';
export { dropRunningLines } from './pdf.js';
export { DEFAULT_LIMITS, DocumentRejected } from './types.js';
export type { DocumentFormat, LoadedDocument, LoadLimits, RejectionCode } from './types.js';

const LOADERS: Readonly<Record<string, Loader>> = {
  '.pdf': pdfLoader,
  '.docx': docxLoader,
  '.html': htmlLoader,
  '.htm': htmlLoader,
  '.md': markdownLoader,
  '.markdown': markdownLoader,
  '.txt': textLoader,
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(LOADERS);

function loaderFor(name: string): Loader {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  const loader = LOADERS[extension];
  if (!loader) {
    const what = extension ? `${extension} files are not supported` : 'it has no file extension';
    throw new DocumentRejected(
      `${name} cannot be read: ${what}. Upload one of ${SUPPORTED_EXTENSIONS.join(', ')}.`,
      'unsupported',
    );
  }
  return loader;
}

async function extract(loader: Loader, bytes: Uint8Array, ctx: LoadContext): Promise<LoadedDocument> {
  let extracted;
  try {
    extracted = await loader.load(bytes, ctx);
  } catch (err) {
    if (err instanceof DocumentRejected) throw err;
    throw new DocumentRejected(`${ctx.name} could not be read; the file may be damaged.`, 'corrupt', {
      cause: err,
    });
  }
  const text = clean(extracted.text);
  if (!text) throw new DocumentRejected(`${ctx.name} contains no text.`, 'empty');
  return {
    format: loader.format,
    text,
    ...(extracted.pages === undefined ? {} : { pages: extracted.pages }),
  };
}

/**
 * Reads an uploaded document into clean text. Throws DocumentRejected (and nothing else) with a code and a
 * sentence for the user when the file is refused; settles within `timeoutMs` either way.
 */
export async function loadDocument(
  bytes: Uint8Array,
  fileName: string,
  limits?: Partial<LoadLimits>,
): Promise<LoadedDocument> {
  const name = checkFileName(fileName);
  const effective: LoadLimits = { ...DEFAULT_LIMITS, ...limits };
  const loader = loaderFor(name);
  if (bytes.byteLength > effective.maxBytes) {
    throw new DocumentRejected(
      `${name} is ${formatMegabytes(bytes.byteLength)}; the limit is ${formatMegabytes(effective.maxBytes)}.`,
      'too_large',
    );
  }
  if (bytes.byteLength === 0) throw new DocumentRejected(`${name} is empty.`, 'empty');

  const timeout = new DocumentRejected(
    `${name} took too long to read (over ${formatDuration(effective.timeoutMs)}); try a smaller or simpler file.`,
    'timeout',
  );
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeout);
      reject(timeout);
    }, effective.timeoutMs);
  });
  const ctx: LoadContext = { name, limits: effective, signal: controller.signal };
  const work = extract(loader, bytes, ctx);
  work.catch(() => {}); // a loader that loses the race to the deadline must not become an unhandled rejection
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
