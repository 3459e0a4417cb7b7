// PDF: parsed by pdf.js in a worker thread (pdf-worker.mjs) that is terminated when the document's time is
// up, with a memory cap of its own; then running headers and footers are removed.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { mismatch } from './sniff.js';
import { DocumentRejected, type LoadContext, type Loader } from './types.js';

const WORKER_URL = new URL('./pdf-worker.mjs', import.meta.url);
const WORKER_HEAP_MB = 512;

type WorkerResult =
  { ok: true; pages: string[] } | { ok: false; kind: 'encrypted' | 'corrupt'; detail: string };

/** Caps how many PDF workers run at once, so a burst of uploads cannot start one pdf.js per file. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.active >= this.size) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(grant), 1);
          reject(signal.reason);
        };
        const grant = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(grant);
      });
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

const slots = new Slots(Math.max(2, availableParallelism()));

function runWorker(bytes: Uint8Array, signal: AbortSignal): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const worker = new Worker(WORKER_URL, {
      workerData: { bytes },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (result: WorkerResult) => finish(() => resolve(result)));
    worker.once('error', (err) => finish(() => resolve({ ok: false, kind: 'corrupt', detail: String(err) })));
    worker.once('exit', (code) =>
      finish(() => resolve({ ok: false, kind: 'corrupt', detail: `worker exited with code ${code}` })),
    );
  });
}

const EDGE_LINES = 3;
const RUNNING_SHARE = 0.6;

const lineKey = (line: string) => line.toLowerCase().replace(/\s+/g, ' ').replace(/\d+/g, '#').trim();

/**
 * Drops running headers and footers: lines among the first or last few of a page that repeat on at least
 * 60% of the pages (and on two or more), comparing with digits normalised so "Page 3 of 20" matches.
 */
export function dropRunningLines(pages: string[]): string[] {
  const split = pages.map((page) =>
    page
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
  if (split.length < 2) return split.map((lines) => lines.join('\n'));
  const isEdge = (i: number, count: number) => i < EDGE_LINES || i >= count - EDGE_LINES;
  const seen = new Map<string, number>();
  for (const lines of split) {
    const keys = new Set(lines.filter((_, i) => isEdge(i, lines.length)).map(lineKey));
    for (const key of keys) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(split.length * RUNNING_SHARE));
  return split.map((lines) =>
    lines
      .filter((line, i) => !(isEdge(i, lines.length) && (seen.get(lineKey(line)) ?? 0) >= threshold))
      .join('\n'),
  );
}

async function parse(bytes: Uint8Array, ctx: LoadContext): Promise<string[]> {
  const release = await slots.acquire(ctx.signal);
  try {
    const result = await runWorker(bytes, ctx.signal);
    if (result.ok) return result.pages;
    if (result.kind === 'encrypted') {
      throw new DocumentRejected(
        `${ctx.name} is password-protected; remove the password and upload it again.`,
        'encrypted',
      );
    }
    throw new DocumentRejected(
      `${ctx.name} could not be read as a PDF; the file may be damaged. Re-export it as PDF and upload it again.`,
      'corrupt',
      { cause: new Error(result.detail) },
    );
  } finally {
    release();
  }
}

export const pdfLoader: Loader = {
  format: 'pdf',
  async load(bytes, ctx) {
    const header = new TextDecoder('latin1').decode(bytes.subarray(0, 5));
    if (header !== '%PDF-') {
      throw await mismatch(bytes, ctx.name, 'a PDF');
    }
    const pages = await parse(bytes, ctx);
    if (pages.every((page) => !page.trim())) {
      throw new DocumentRejected(
        `${ctx.name} has no text layer (a scanned PDF?); OCR is not supported yet — upload a text PDF or paste the text.`,
        'no_text',
      );
    }
    return { text: dropRunningLines(pages).join('\n\n'), pages: pages.length };
  },
};
