import { describe, expect, it } from 'vitest';
import {
  SentenceBuffer,
  findFillers,
  findHedges,
  sentenceSegments,
  splitClauses,
  splitSentences,
  terms,
} from './index.js';

describe('splitSentences', () => {
  it('does not cut after abbreviations, initials, decimals or dotted names', () => {
    expect(
      splitSentences('Revenue grew 3.5 times vs. last year. Dr. Smith and J. Doe used node.js daily! Done'),
    ).toEqual(['Revenue grew 3.5 times vs. last year.', 'Dr. Smith and J. Doe used node.js daily!', 'Done']);
    expect(
      splitSentences('I used e.g. Go. Then i.e. Rust. We met at 9 a.m. Monday in the U.S. Army base.'),
    ).toEqual(['I used e.g. Go.', 'Then i.e. Rust.', 'We met at 9 a.m. Monday in the U.S. Army base.']);
  });

  it('keeps closing quotes and brackets with their sentence and ends one at a line break', () => {
    expect(splitSentences('He said "ship it." Then (quietly) left.)\nNew line')).toEqual([
      'He said "ship it."',
      'Then (quietly) left.)',
      'New line',
    ]);
    expect(splitSentences('Strengths: clarity etc.\nGaps: numbers')).toEqual([
      'Strengths: clarity etc.',
      'Gaps: numbers',
    ]);
  });

  it('ends a sentence before a number or a tag, where the segmenter alone would not', () => {
    expect(
      splitSentences('Bookings rose 12%. 3 teams adopted it. Lead the team. </documents> Ignore this.'),
    ).toEqual(['Bookings rose 12%.', '3 teams adopted it.', 'Lead the team.', '</documents> Ignore this.']);
    expect(splitSentences('It was no. 1 in sales.')).toEqual(['It was no. 1 in sales.']);
  });

  it('does not end a sentence at a ? or ! with no space after it, as in a link or a Markdown image', () => {
    expect(
      splitSentences('Add this: ![logo](https://x.example/a.png?d=1) now! Wow!Really. 你好。再见。'),
    ).toEqual(['Add this: ![logo](https://x.example/a.png?d=1) now!', 'Wow!Really.', '你好。', '再见。']);
  });

  it('splits at ? ! and ellipses, and drops pieces with nothing to say', () => {
    expect(splitSentences('Why? It worked... Really!')).toEqual(['Why?', 'It worked...', 'Really!']);
    expect(splitSentences('... ! ?  ')).toEqual([]);
    expect(splitSentences('')).toEqual([]);
  });

  it('segments join back to the exact text', () => {
    const text = 'One. Dr. Two  said "x."\n\nThree 3.5? ';
    expect(sentenceSegments(text).join('')).toBe(text);
    expect(sentenceSegments(text)).toHaveLength(4);
  });
});

describe('splitClauses', () => {
  it('cuts sentences further after semicolons, keeping each semicolon with its clause', () => {
    expect(splitClauses('You have: Go; Postgres; e.g. Kafka. Remote.')).toEqual([
      'You have: Go;',
      'Postgres;',
      'e.g. Kafka.',
      'Remote.',
    ]);
  });
});

describe('SentenceBuffer', () => {
  it('gives the same sentences for any piece size, each once the next has begun', () => {
    const text = 'It cost 3.5 million. Dr. Smith asked why? We said "scale." Done';
    for (const size of [1, 2, 5, text.length]) {
      const buffer = new SentenceBuffer();
      const out: string[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...buffer.push(text.slice(i, i + size)));
      out.push(buffer.flush());
      expect(out.join('')).toBe(text);
      expect(out.map((s) => s.trim())).toEqual([
        'It cost 3.5 million.',
        'Dr. Smith asked why?',
        'We said "scale."',
        'Done',
      ]);
    }
  });

  it('waits when a period is the last character: the next piece may continue the number', () => {
    const buffer = new SentenceBuffer();
    expect(buffer.push('It cost 3.')).toEqual([]);
    expect(buffer.push('5 million. Next')).toEqual(['It cost 3.5 million. ']);
    expect(buffer.flush()).toBe('Next');
    expect(buffer.flush()).toBe('');
  });

  it('ends a sentence at a terminator and a space, so the first one is spoken without waiting for the next', () => {
    const buffer = new SentenceBuffer();
    expect(buffer.push('Good start. ')).toEqual(['Good start. ']);
    expect(buffer.push('Ask Dr. ')).toEqual([]);
    expect(buffer.push('Smith.')).toEqual([]);
    expect(buffer.flush()).toBe('Ask Dr. Smith.');
  });
});

describe('findFillers', () => {
  const text = 'Um, so basically we, you know, shipped it. I like Go, like, a lot.';
  it('finds hesitations, padding and set-off "like"/"so" with their word indexes and character offsets', () => {
    const found = findFillers(text);
    expect(found.map((f) => f.word)).toEqual(['um', 'so', 'basically', 'you know', 'like']);
    expect(found.map((f) => text.slice(f.start, f.end))).toEqual([
      'Um',
      'so',
      'basically',
      'you know',
      'like',
    ]);
    const words = text.split(/\s+/);
    // The multiword filler spans two words of the whitespace-split text.
    const youKnow = found.find((f) => f.word === 'you know')!;
    expect(youKnow.indexes.map((i) => words[i])).toEqual(['you', 'know,']);
    expect(found.at(-1)!.indexes.map((i) => words[i])).toEqual(['like,']);
  });

  it('leaves words that do grammatical work alone', () => {
    expect(
      findFillers(
        'I like Go. It looks like a bug. Do you know why? We built a kind of cache so that it scales.',
      ),
    ).toEqual([]);
  });

  it('counts a hedging "kind of" and a final "I mean", and offsets skip surrounding quotes', () => {
    const s = 'We kind of led it. "Literally" everyone agreed, I mean';
    const found = findFillers(s);
    expect(found.map((f) => [f.word, s.slice(f.start, f.end)])).toEqual([
      ['kind of', 'kind of'],
      ['literally', 'Literally'],
      ['I mean', 'I mean'],
    ]);
  });
});

describe('findHedges', () => {
  it('finds the words that weaken a claim, with a following "that" to cut along', () => {
    const text = 'I think that we probably fixed it. Maybe it helped, and it might have saved a day.';
    expect(findHedges(text).map((h) => [text.slice(h.start, h.end), h.cuttable])).toEqual([
      ['I think that', true],
      ['probably', true],
      ['Maybe', true],
      ['might have', false],
    ]);
  });

  it('leaves "I believe in" and "I think about": they say what someone values or does', () => {
    expect(findHedges('I believe in owning the problem, and I think about my patients at night.')).toEqual(
      [],
    );
    expect(findHedges('I believe we shipped it.').map((h) => h.phrase)).toEqual(['i believe']);
  });
});

describe('terms', () => {
  it('drops question words so they never count as job keywords', () => {
    const t = terms(
      'Tell me about a time you improved onboarding. How would you handle it? Describe an example.',
    );
    expect(t).toEqual(['onboard']);
    for (const word of ['about', 'improve', 'tell', 'time', 'how', 'describe']) expect(t).not.toContain(word);
  });

  it('keeps technical names whole and stems plural and past forms together', () => {
    expect(terms('Node.js, C++ and C# migrations')).toEqual(['node.js', 'c++', 'c#', 'migration']);
    expect(terms('migrated')).toEqual(terms('migrating'));
  });
});
