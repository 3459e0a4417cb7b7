import { describe, expect, it } from 'vitest';
import { findPassage, stripHeading } from './passage';
import { precheck } from './uploads';

const DOC = `# Experience

Led the   migration of 40 services
to Kubernetes. Cut deploy time by 60%.

## Skills
Go, TypeScript, Postgres.`;

describe('findPassage', () => {
  it('finds a chunk whose sentences were joined across lines', () => {
    const chunk = 'Led the migration of 40 services to Kubernetes. Cut deploy time by 60%.';
    const span = findPassage(DOC, chunk)!;
    expect(span.match).toBe('exact');
    expect(DOC.slice(span.start, span.end)).toBe(
      'Led the   migration of 40 services\nto Kubernetes. Cut deploy time by 60%.',
    );
  });

  it('drops the heading prefix the chunker adds', () => {
    const span = findPassage(DOC, 'Skills: Go, TypeScript, Postgres.')!;
    expect(DOC.slice(span.start, span.end)).toBe('Go, TypeScript, Postgres.');
  });

  it('falls back to the longest sentence found in the text', () => {
    const span = findPassage(DOC, 'Experience: Something rewritten here. Cut deploy time by 60%.')!;
    expect(span.match).toBe('sentence');
    expect(DOC.slice(span.start, span.end)).toBe('Cut deploy time by 60%.');
  });

  it('says when the passage is not in the text', () => {
    expect(findPassage(DOC, 'Nothing like this appears anywhere.')).toBeNull();
    expect(stripHeading('No prefix here')).toBe('No prefix here');
  });
});

describe('precheck', () => {
  it('words refusals as the server does', () => {
    expect(precheck({ name: 'cv.png', size: 10 })).toBe(
      'cv.png: upload one of .pdf, .docx, .html, .htm, .md, .markdown, .txt',
    );
    expect(precheck({ name: 'big.pdf', size: 11 * 1024 * 1024 })).toBe(
      'the file is larger than the limit of 10 MB',
    );
    expect(precheck({ name: 'empty.md', size: 0 })).toBe('empty.md is empty');
    expect(precheck({ name: 'ok.md', size: 5 })).toBeNull();
  });
});
