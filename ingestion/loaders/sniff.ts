// Checks that bytes are what their extension claims, with messages that say what the file looks like instead.
import { fileTypeFromBuffer } from 'file-type';
import { DocumentRejected } from './types.js';

const KIND_NAMES: Record<string, string> = {
  pdf: 'a PDF',
  docx: 'a Word document',
  doc: 'an old Word (.doc) document',
  cfb: 'an old Office (.doc/.xls/.ppt) file',
  xlsx: 'an Excel spreadsheet',
  pptx: 'a PowerPoint presentation',
  odt: 'an OpenDocument text file',
  rtf: 'an RTF document',
  zip: 'a zip archive',
  gz: 'a gzip archive',
  '7z': 'a 7-Zip archive',
  rar: 'a RAR archive',
  png: 'a PNG image',
  jpg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  heic: 'a HEIC photo',
  tif: 'a TIFF image',
  bmp: 'a BMP image',
  mp3: 'an MP3 audio file',
  mp4: 'an MP4 video',
  exe: 'a Windows program',
  elf: 'a Linux program',
};

// Detections file-type can make on text files that are still fine to read as text.
const TEXT_KINDS = new Set(['xml', 'svg', 'ics', 'vcf', 'vtt', 'srt']);

/** A short phrase for what the bytes look like ("a PNG image"), or undefined if file-type cannot tell. */
export async function describeBytes(bytes: Uint8Array): Promise<string | undefined> {
  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (!detected) return undefined;
  return KIND_NAMES[detected.ext] ?? `a ${detected.ext.toUpperCase()} file`;
}

export async function mismatch(bytes: Uint8Array, name: string, expected: string): Promise<DocumentRejected> {
  const actual = await describeBytes(bytes);
  return new DocumentRejected(
    actual
      ? `${name} looks like ${actual}, not ${expected}.`
      : `${name} is not ${expected}; its contents do not match its extension.`,
    'type_mismatch',
  );
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an HTML, Markdown or text upload. It must be UTF-8 (a UTF-16 file with a byte-order mark, as
 * Windows Notepad writes, is accepted too) and hold no NUL characters; anything else is a binary file
 * wearing a text extension.
 */
export async function decodeText(bytes: Uint8Array, name: string, expected: string): Promise<string> {
  const detected = await fileTypeFromBuffer(bytes).catch(() => undefined);
  if (detected && !TEXT_KINDS.has(detected.ext) && !detected.mime.startsWith('text/')) {
    throw await mismatch(bytes, name, expected);
  }
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff)
      text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    else text = UTF8.decode(bytes);
  } catch (cause) {
    throw new DocumentRejected(
      `${name} is not UTF-8 text; save it as UTF-8 (or upload it as PDF or Word) and try again.`,
      'type_mismatch',
      { cause },
    );
  }
  if (text.includes('\u0000')) throw await mismatch(bytes, name, expected);
  return text;
}
