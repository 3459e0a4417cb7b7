// Upload names are shown back to the user and may end up in logs and storage keys: accept plain names only.
import { DocumentRejected } from './types.js';

const MAX_NAME_LENGTH = 200;
// C0/C1 controls, plus the bidi overrides that make "resume\u202Efdp.exe" display as "resumeexe.pdf".
const CONTROL = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function preview(name: string): string {
  const escaped = name.replace(
    new RegExp(CONTROL.source, 'gu'),
    (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`,
  );
  return escaped.length > 60 ? `${escaped.slice(0, 57)}...` : escaped;
}

function reject(name: string, why: string): never {
  throw new DocumentRejected(
    `The file name "${preview(name)}" is not allowed: ${why}; rename the file and upload it again.`,
    'bad_name',
  );
}

/** Returns the name to show for an upload, or throws DocumentRejected('bad_name'). */
export function checkFileName(name: string): string {
  const display = name.normalize('NFC').trim();
  if (display.length === 0) reject(name, 'it is empty');
  if (/[/\\]/.test(display)) reject(name, 'it contains a path separator (/ or \\)');
  if (CONTROL.test(display)) reject(name, 'it contains control characters');
  if (display.includes('..')) reject(name, 'it contains ".."');
  if ([...display].length > MAX_NAME_LENGTH) reject(name, `it is longer than ${MAX_NAME_LENGTH} characters`);
  return display;
}
