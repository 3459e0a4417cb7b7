import { describe, expect, it } from 'vitest';
import { chunkText, clean } from './chunk.js';

const JD = `Contoso Health runs scheduling for 300 clinics.

Requirements
3+ years of product management. Discovery with clinicians and front-desk staff.
Writing clear requirements. Running A/B tests.

## Benefits
Remote-friendly. Learning budget.`;

describe('section-aware chunking', () => {
  it('keeps each heading with its own text', () => {
    const chunks = chunkText(JD, { size: 800, overlap: 100 });
    const requirements = chunks.find((c) => c.section === 'Requirements')!;
    expect(requirements.text).toMatch(/^Requirements: 3\+ years of product management/);
    expect(requirements.text).not.toContain('Remote-friendly');
    expect(chunks.find((c) => c.section === 'Benefits')!.text).toBe(
      'Benefits: Remote-friendly. Learning budget.',
    );
  });

  it('splits long sections at sentences, within the size, carrying an overlap', () => {
    const body = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} talks about scheduling.`).join(
      ' ',
    );
    const chunks = chunkText(body, { size: 300, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(300 + 60);
    for (let i = 1; i < chunks.length; i++) {
      const firstOfNext = chunks[i]!.text.split(/(?<=\.)\s/)[0]!;
      expect(
        chunks[i - 1]!.text.endsWith(firstOfNext) || chunks[i - 1]!.text.includes(`${firstOfNext} `),
      ).toBe(true);
    }
    const all = new Set(chunks.flatMap((c) => c.text.split(/(?<=\.)\s/)));
    expect(all.size).toBe(40);
  });

  it('joins words hyphenated across lines and drops empty text', () => {
    expect(clean('experi-\nence   with\r\n\r\n\r\n\r\nteams')).toBe('experience with\n\nteams');
    expect(chunkText('   \n\n  ', { size: 500, overlap: 50 })).toEqual([]);
  });
});
