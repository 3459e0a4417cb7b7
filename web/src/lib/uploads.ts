// Client-side pre-checks for uploads, worded as the server words its refusals. The server stays the judge.
import type { IngestionStage } from './api';

export const UPLOAD_MAX_BYTES = 10 * 1024 * 1024;
export const SUPPORTED_EXTENSIONS: readonly string[] = [
  '.pdf',
  '.docx',
  '.html',
  '.htm',
  '.md',
  '.markdown',
  '.txt',
];
/** For the file picker's `accept`. */
export const ACCEPT = SUPPORTED_EXTENSIONS.join(',');

export const STAGES: readonly IngestionStage[] = ['queued', 'parsing', 'chunking', 'embedding', 'indexed'];

/** Why the server would refuse this file, or null when it may be sent. */
export function precheck(file: { name: string; size: number }, maxBytes = UPLOAD_MAX_BYTES): string | null {
  const name = file.name;
  if (!name.trim()) return 'the file has no name';
  if (file.size > maxBytes)
    return `the file is larger than the limit of ${Math.round(maxBytes / 1024 / 1024)} MB`;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot).toLowerCase() : '';
  if (!SUPPORTED_EXTENSIONS.includes(extension))
    return `${name}: upload one of ${SUPPORTED_EXTENSIONS.join(', ')}`;
  if (file.size === 0) return `${name} is empty`;
  return null;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
