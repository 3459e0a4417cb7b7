// How an answer sounded: pace, fillers and long pauses, from transcripts written by hand (the rules) and
// from real recognised speech (an espeak-ng answer with a silence in the middle).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { decodeAudio } from '../../voice/audio.js';
import { createAsrEngine } from '../../voice/asr/index.js';
import { findFillers } from '../../core/text/index.js';
import { speechMetrics } from '../../voice/speech-metrics.js';
import type { AsrEngine, TimedWord, Transcript } from '../../voice/types.js';
import { speakParts } from '../support/speech.js';

/** The fillers found in `text`, as the words at their indexes. */
const fillersIn = (text: string) => {
  const tokens = text.split(/\s+/);
  return findFillers(text).map((f) => f.indexes.map((i) => tokens[i]).join(' '));
};

describe('filler words', () => {
  it('counts hesitations and padding adverbs wherever they are', () => {
    expect(fillersIn('Um, I basically rebuilt it, uh, and it actually worked. Er, ah, erm.')).toEqual([
      'Um,',
      'basically',
      'uh,',
      'actually',
      'Er,',
      'ah,',
      'erm.',
    ]);
  });

  it.each([
    ['We were, like, three weeks late.', ['like,']],
    ['Like, I had no idea.', ['Like,']],
    ['It was um like a mess.', ['um', 'like']],
    ['I like Go and it looks like a bug.', []],
    ['We used tools, like Kafka and Redis.', []],
  ])('"like" only where it does no work: %s', (text, expected) => {
    expect(fillersIn(text)).toEqual(expected);
  });

  it.each([
    ['So I joined the payments team.', ['So']],
    ['We shipped. So, the next step was testing.', ['So,']],
    ['We missed it, so we changed the plan so that it fit.', []],
    ['It was so much work.', []],
  ])('"so" only opening the answer or set off by a comma: %s', (text, expected) => {
    expect(fillersIn(text)).toEqual(expected);
  });

  it.each([
    ['It was, you know, hard.', ['you know,']],
    ['I mean, it worked.', ['I mean,']],
    ['Do you know why? What I mean is this.', []],
    ['I kind of led it and sort of owned it.', ['kind of', 'sort of']],
    ['What kind of cache? A sort of index.', []],
  ])('phrases as hedges, not as grammar: %s', (text, expected) => {
    expect(fillersIn(text)).toEqual(expected);
  });
});

/** Words of `text` laid out from `start`, `step` seconds each, with extra gaps after given indexes. */
function timed(text: string, start: number, step: number, gaps: Record<number, number> = {}): TimedWord[] {
  let t = start;
  return text.split(/\s+/).map((word, i) => {
    const w = { word, start: t, end: t + step * 0.8 };
    t += step + (gaps[i] ?? 0);
    return w;
  });
}

describe('pace and pauses', () => {
  it('words per minute over the speaking time, without leading silence or long pauses', () => {
    // 20 words, 0.4 s apart (150 wpm while talking), 1 s of silence first, a 3 s pause after word 9.
    const text = Array.from({ length: 20 }, (_, i) => (i === 0 ? 'Um' : `w${i}`)).join(' ');
    const words = timed(text, 1, 0.4, { 9: 3 });
    const t: Transcript = { text, words, durationSec: 13, engine: 'test' };
    const m = speechMetrics(t);
    expect(m).toMatchObject({ durationSec: 13, words: 20, fillerCount: 1, fillerWordIndexes: [0] });
    expect(m.longPauses).toEqual([{ afterWord: 9, seconds: 3.1 }]);
    // speaking: first word at 1 s to the last one's end at 11.92 s, less the 3.08 s pause = 7.84 s
    expect(m.wpm).toBe(153); // 20 / 7.84 * 60
    expect(m.fillersPerMin).toBe(7.7);
    expect(m.fillers).toEqual([{ word: 'um', count: 1 }]);
  });

  it('a silence just under 2 s is not a long pause', () => {
    const text = 'one two three four';
    const m = speechMetrics({ text, words: timed(text, 0, 0.5, { 1: 1.5 }), durationSec: 4, engine: 'test' });
    // the gap after "two": 0.5 - 0.4 + 1.5 = 1.6 s
    expect(m.longPauses).toEqual([]);
  });

  it('without word timings, the pace is over the whole recording and no pauses are claimed', () => {
    const m = speechMetrics({
      text: 'So, we, um, shipped it, you know, on time.',
      words: [],
      durationSec: 6,
      engine: 'endpoint',
    });
    expect(m).toMatchObject({ words: 9, wpm: 90, fillerCount: 3, longPauses: [] });
    expect(m.fillers).toEqual([
      { word: 'so', count: 1 },
      { word: 'um', count: 1 },
      { word: 'you know', count: 1 },
    ]);
    expect(m.fillerWordIndexes).toEqual([0, 2, 5, 6]);
  });

  it('an empty transcript measures nothing', () => {
    expect(speechMetrics({ text: '', words: [], durationSec: 2, engine: 'test' })).toEqual({
      durationSec: 2,
      words: 0,
      wpm: 0,
      fillerCount: 0,
      fillersPerMin: 0,
      fillers: [],
      fillerWordIndexes: [],
      longPauses: [],
    });
  });

  it("pauses land on the text's word indexes when an endpoint's word list differs from its text", () => {
    const words = [
      { word: 'We', start: 0, end: 0.2 },
      { word: 'shipped', start: 0.3, end: 0.6 },
      { word: 'Then', start: 3, end: 3.2 },
      { word: 'we', start: 3.3, end: 3.4 },
      { word: 'rested', start: 3.5, end: 3.9 },
    ];
    const m = speechMetrics({
      text: 'We shipped - then we rested.',
      words,
      durationSec: 4,
      engine: 'endpoint',
    });
    expect(m.longPauses).toEqual([{ afterWord: 1, seconds: 2.4 }]);
  });
});

describe('measured on recognised speech', () => {
  const FIRST = 'In my last role I led a team of five engineers.';
  const SECOND = 'We moved the billing system to a new platform.';
  let whisper: AsrEngine;
  let sphinx: AsrEngine;
  beforeAll(async () => {
    const config = loadConfig({});
    whisper = await createAsrEngine(config);
    sphinx = await createAsrEngine({ ...config, ASR_PROVIDER: 'pocketsphinx' });
  });
  afterAll(() => whisper?.close());

  it(
    'finds the 2.5 s silence between two sentences and a pace near the voice speed, with either engine',
    async () => {
      const clip = await speakParts([FIRST, { pause: 2.5 }, SECOND], { format: 'webm', speed: 150 });
      const { pcm } = await decodeAudio(await readFile(clip));

      const t = await whisper.transcribe(pcm);
      const m = speechMetrics(t);
      expect(m.longPauses).toHaveLength(1);
      const pause = m.longPauses[0]!;
      // after "engineers." (word 10 of the text), about as long as the silence
      expect(t.text.split(/\s+/)[pause.afterWord]).toMatch(/^engineers/);
      expect(pause.seconds).toBeGreaterThan(2);
      expect(pause.seconds).toBeLessThan(3.3);
      // espeak-ng at 150 wpm; its words are short and its gaps between sentences long
      expect(m.wpm).toBeGreaterThan(120);
      expect(m.wpm).toBeLessThan(220);
      expect(m.durationSec).toBeGreaterThan(8);

      const s = speechMetrics(await sphinx.transcribe(pcm));
      expect(s.longPauses).toHaveLength(1);
      expect(s.longPauses[0]!.seconds).toBeGreaterThan(2);
      expect(s.longPauses[0]!.seconds).toBeLessThan(3.3);
    },
    5 * 60_000,
  );
});
