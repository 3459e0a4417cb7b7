// Runs in a worker_threads Worker (see pdf.ts) so a hostile or slow PDF can be terminated.
// Plain .mjs so it loads the same way under tsx, vitest and node. Input: workerData.bytes (a copy).
// Output: one message, { ok: true, pages: string[] } or { ok: false, kind: 'encrypted' | 'corrupt', detail }.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

// Nothing in here may reach the network; pdf.js only needs its bundled CMaps and fonts, read from disk.
globalThis.fetch = () => Promise.reject(new Error('network access is disabled while parsing PDFs'));

const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
const pdfjsRoot = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), '/');

/** Joins pdf.js text items into lines: a new line on hasEOL or when the baseline moves, a space across gaps. */
function pageText(items) {
  let out = '';
  let lastY = null;
  let lastEndX = null;
  const newline = () => {
    if (out && !out.endsWith('\n')) out += '\n';
  };
  for (const item of items) {
    if (typeof item.str !== 'string') continue; // marked-content markers
    if (item.str) {
      const [, , c, d, x, y] = item.transform;
      const size = Math.hypot(c, d) || 10;
      if (lastY !== null && Math.abs(y - lastY) > size * 0.5) newline();
      else if (
        lastEndX !== null &&
        x - lastEndX > size * 0.15 &&
        out &&
        !/\s$/.test(out) &&
        !/^\s/.test(item.str)
      )
        out += ' ';
      out += item.str;
      lastY = y;
      lastEndX = x + item.width;
    }
    if (item.hasEOL) newline();
  }
  return out;
}

async function parse(data) {
  const task = getDocument({
    data,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    cMapUrl: join(pdfjsRoot, 'cmaps', '/'),
    cMapPacked: true,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts', '/'),
    verbosity: 0,
  });
  const pdf = await task.promise;
  try {
    const pages = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageText(content.items));
      page.cleanup();
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

try {
  parentPort.postMessage({ ok: true, pages: await parse(workerData.bytes) });
} catch (err) {
  const kind = err?.name === 'PasswordException' ? 'encrypted' : 'corrupt';
  parentPort.postMessage({ ok: false, kind, detail: `${err?.name ?? 'Error'}: ${err?.message ?? err}` });
}
