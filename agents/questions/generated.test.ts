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
      'Discovery with clinicians and front-desk staff',
      'Running A/B tests',
    ]);
    const [{ question: q, passage }] = generatedQuestions(passages) as [
      ReturnType<typeof generatedQuestions>[number],
    ];
    expect(passage.section).toBe('Requirements');
    expect(q.text).toBe(
      'The job asks for "3+ years of product management". Tell me about a specific time you showed this: the situation, what you did, and the result.',
    );
    expect(q.id).toMatch(/^jd-[0-9a-f]{8}$/);
    expect(generatedQuestions(passages)[0]!.question.id).toBe(q.id);
  });

  it('generates nothing from a job description without stated requirements', () => {
    expect(generatedQuestions([chunk('', 'We are a friendly team in Lisbon.')])).toEqual([]);
  });
});
