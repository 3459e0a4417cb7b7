import { describe, expect, it } from 'vitest';
import { generatedQuestions, requirementsOf } from './generated.js';
import type { ScoredChunk } from '../../ingestion/store.js';

const chunk = (section: string, text: string, kind: ScoredChunk['kind'] = 'jd'): ScoredChunk => ({
  documentId: 'd',
  chunkId: `c-${section}`,
  kind,
  section,
  text: section ? `${section}: ${text}` : text,
  score: 1,
});

describe('questions generated from the job description', () => {
  it('turns each requirement sentence into a question that asks for proof', () => {
    const passages = [
      chunk(
        'Requirements',
        '3+ years of product management. Discovery with clinicians and front-desk staff. Running A/B tests.',
      ),
      chunk('', 'Contoso Health runs scheduling for 300 clinics.'),
      chunk('Experience', 'Led discovery with 60 drivers.', 'resume'),
    ];
    expect(requirementsOf(passages)).toEqual([
      '3+ years of product management',
      'discovery with clinicians and front-desk staff',
      'running A/B tests',
    ]);
    const [{ question: q, passage }] = generatedQuestions(passages) as [
      ReturnType<typeof generatedQuestions>[number],
    ];
    expect(passage.section).toBe('Requirements');
    // One requirement phrase, quoted, in a question a person would say.
    expect(q.text).toMatch(
      /^[^"]*"3\+ years of product management"[^"]*\?$|^[^"]*"3\+ years of product management"[^"]*changed\.$/,
    );
    expect(q.text.split(/\s+/).length).toBeLessThanOrEqual(30);
    // The same seed, the same words; other seeds word it other ways.
    expect(generatedQuestions(passages, 'job', 2)[0]!.question.text).toBe(
      generatedQuestions(passages, 'job', 2)[0]!.question.text,
    );
    const wordings = new Set(
      Array.from({ length: 12 }, (_, round) => generatedQuestions(passages, 'job', round)[0]!.question.text),
    );
    expect(wordings.size).toBeGreaterThan(1);
    expect(q.id).toMatch(/^jd-[0-9a-f]{8}$/);
    expect(generatedQuestions(passages)[0]!.question.id).toBe(q.id);
  });

  it('generates nothing from a job description without stated requirements', () => {
    expect(generatedQuestions([chunk('', 'We are a friendly team in Lisbon.')])).toEqual([]);
  });
});
