// The contract every format loader implements, and the one error type callers need to handle.
export type DocumentFormat = 'pdf' | 'docx' | 'html' | 'markdown' | 'text';

export interface LoadedDocument {
  format: DocumentFormat;
  text: string;
  pages?: number;
}

export type RejectionCode =
  | 'too_large'
  | 'empty'
  | 'type_mismatch'
  | 'unsupported'
  | 'zip_bomb'
  | 'encrypted'
  | 'corrupt'
  | 'no_text'
  | 'timeout'
  | 'bad_name';

/** A document we will not ingest. `reason` is one sentence meant for the person who uploaded it. */
export class DocumentRejected extends Error {
  override readonly name = 'DocumentRejected';

  constructor(
    readonly reason: string,
    readonly code: RejectionCode,
    options?: ErrorOptions,
  ) {
    super(reason, options);
  }
}

export interface LoadLimits {
  /** Largest upload accepted, in bytes (default 10 MB). */
  maxBytes: number;
  /** Largest total a DOCX may inflate to, in bytes (default 50 MB). */
  maxUnzippedBytes: number;
  /** Most entries a DOCX zip may hold (default 1000). */
  maxZipEntries: number;
  /** Time allowed for one document, from call to result (default 20 s). */
  timeoutMs: number;
}

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: Readonly<LoadLimits> = Object.freeze({
  maxBytes: 10 * MB,
  maxUnzippedBytes: 50 * MB,
  maxZipEntries: 1000,
  timeoutMs: 20_000,
});

/** What a loader gets besides the bytes. `name` is already safe to show. */
export interface LoadContext {
  name: string;
  limits: LoadLimits;
  /** Aborted when the document's time is up; loaders stop work and release resources. */
  signal: AbortSignal;
}

export interface Extracted {
  text: string;
  pages?: number;
}

export interface Loader {
  format: DocumentFormat;
  /** Confirms the bytes are what the extension claims, then extracts text (before `clean`). */
  load(bytes: Uint8Array, ctx: LoadContext): Promise<Extracted>;
}

export function formatMegabytes(bytes: number): string {
  return `${Number((bytes / MB).toPrecision(3))} MB`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toPrecision(3))} s`;
}
