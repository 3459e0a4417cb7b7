import { describe, expect, it } from 'vitest';
import { SentenceSplitter } from './sentences';

/** The whole text in one piece. */
const splitSentences = (text: string) => new SentenceSplitter().finish(text);

/** Feeds `text` in pieces of `size` characters, collecting sentences as they complete. */
function stream(text: string, size: number): { sentences: string[]; completedAt: number[] } {
  const s = new SentenceSplitter();
  const sentences: string[] = [];
  const completedAt: number[] = [];
  for (let i = 0; i < text.length; i += size) {
    for (const sentence of s.push(text.slice(i, i + size))) {
      sentences.push(sentence);
      completedAt.push(i + size);
    }
  }
  sentences.push(...s.flush());
  return { sentences, completedAt };
}

describe('sentence splitting of streamed text', () => {
  const question =
    'Tell me about a time you led a migration at Contoso Health. What was the situation? ' +
    'How did you measure the result, e.g. latency or cost?';

  it('gives each sentence as soon as the next piece shows it ended, the same for any piece size', () => {
    const expected = [
      'Tell me about a time you led a migration at Contoso Health.',
      'What was the situation?',
      'How did you measure the result, e.g. latency or cost?',
    ];
    for (const size of [1, 3, 7, 40, question.length])
      expect(stream(question, size).sentences).toEqual(expected);
    // The first sentence is out well before the stream ends.
    const { completedAt } = stream(question, 4);
    expect(completedAt[0]).toBeLessThan(70);
  });

  it('does not cut at decimals, abbreviations, initials or dotted names, streamed or whole', () => {
    const text = 'Revenue grew 3.5 times vs. last year. Dr. Smith and J. Doe used node.js daily! Done';
    const expected = [
      'Revenue grew 3.5 times vs. last year.',
      'Dr. Smith and J. Doe used node.js daily!',
      'Done',
    ];
    expect(splitSentences(text)).toEqual(expected);
    expect(stream(text, 2).sentences).toEqual(expected);
  });

  it('does not read Markdown bullets and emphasis aloud', () => {
    expect(stream('Strengths:\n- **Clear** result\n- used _metrics_. Next', 3).sentences).toEqual([
      'Strengths:',
      'Clear result',
      'used metrics.',
      'Next',
    ]);
  });

  it('waits when a period is the last character: the next token may continue the number', () => {
    const s = new SentenceSplitter();
    expect(s.push('It cost 3.')).toEqual([]);
    expect(s.push('5 million. Next')).toEqual(['It cost 3.5 million.']);
    expect(s.flush()).toEqual(['Next']);
  });

  it('keeps closing quotes and brackets with their sentence and splits at line breaks', () => {
    expect(splitSentences('He said "ship it." Then (quietly) left.)\nNew line')).toEqual([
      'He said "ship it."',
      'Then (quietly) left.)',
      'New line',
    ]);
    expect(new SentenceSplitter().push('no end yet ')).toEqual([]);
    expect(new SentenceSplitter().push('Ended here. ')).toEqual(['Ended here.']);
  });

  it('drops pieces with nothing to say', () => {
    expect(splitSentences('... ! ?  ')).toEqual([]);
    expect(splitSentences('')).toEqual([]);
  });

  it('finish() speaks only what the tokens did not cover, or the whole text when no tokens came', () => {
    const s = new SentenceSplitter();
    expect(s.push('First one. Second')).toEqual(['First one.']);
    expect(s.finish('First one. Second one? Third.')).toEqual(['Second one?', 'Third.']);
    // After finish the splitter starts afresh: a retry question arrives whole, without tokens.
    expect(s.finish('Same question again. Really.')).toEqual(['Same question again.', 'Really.']);
    // A final text that does not continue the tokens: what was said stands, the pending rest goes.
    s.push('Draft sentence. Pending');
    expect(s.finish('Completely different text.')).toEqual(['Pending']);
  });
});
