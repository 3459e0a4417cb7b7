// The reviewer's rubric (contract/rubric.ts) is the labelling guide's, word for word: a changed anchor in
// the guide fails here until the module says the same, so reviewers and the eval labels keep one rule book.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RUBRIC } from '../../contract/rubric.js';
import { SCORE_DIMENSIONS } from '../../contract/words.js';

const guide = readFileSync(new URL('../../docs/labelling-guide.md', import.meta.url), 'utf8');

/** The guide's section of one dimension: its "What is rated" sentence and the rows of its level table. */
function sectionOf(label: string) {
  const section = guide.split('\n## ').find((s) => new RegExp(`^\\d\\. ${label}\\b`).test(s));
  if (!section) throw new Error(`no section for ${label} in the labelling guide`);
  // Markdown emphasis is the guide's typography, not its words: the page shows plain text.
  const rated = /What is rated: ([\s\S]*?)\n\n/.exec(section)![1]!.replace(/\n/g, ' ').replace(/\*\*/g, '');
  const levels = Object.fromEntries(
    [...section.matchAll(/^\| (\d)\s+\| (.*?)\s*\|$/gm)].map((m) => [Number(m[1]), m[2]]),
  );
  return { rated, levels };
}

describe('the reviewer rubric', () => {
  it('has every score dimension, each with five levels', () => {
    expect(Object.keys(RUBRIC).sort()).toEqual([...SCORE_DIMENSIONS].sort());
    for (const d of SCORE_DIMENSIONS)
      expect(Object.keys(RUBRIC[d].levels)).toEqual(['1', '2', '3', '4', '5']);
  });

  it.each(SCORE_DIMENSIONS)('says what the labelling guide says for %s', (d) => {
    const { rated, levels } = sectionOf(RUBRIC[d].label);
    expect(RUBRIC[d].rated).toBe(rated);
    expect(RUBRIC[d].levels).toEqual(levels);
  });
});
