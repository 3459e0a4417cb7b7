import { describe, expect, it } from 'vitest';
import { EndOfTurn, silenceNeededMs, soundsUnfinished } from './end-of-turn';
import type { VadState } from './vad';

const FRAME = 50;

/** Feeds `ms` of speech (true) or silence (false) from `t`, one verdict per 50 ms; returns the states. */
function feed(turn: EndOfTurn, speech: boolean, ms: number, t: number): { states: VadState[]; t: number } {
  const states: VadState[] = [];
  for (let at = 0; at < ms; at += FRAME) states.push(turn.update(speech, t + at));
  return { states, t: t + ms };
}

/** The time (ms after the speech stopped) at which the turn ended, or null if it did not within `ms`. */
function endsAfter(turn: EndOfTurn, ms: number, t: number): number | null {
  for (let at = 0; at <= ms; at += FRAME) if (turn.update(false, t + at) === 'ended') return at;
  return null;
}

describe('does the last sentence sound finished?', () => {
  it.each([
    'I planned the rollout in three stages, and',
    'We chose Postgres because',
    'so',
    'The latency fell, but',
    'It was either the cache or',
    'the service which',
    'I think that',
    'and then we, um',
    'We measured it,',
    'The first stage was the hardest —',
    'I moved to the team of',
    'and…',
  ])('"%s" does not', (text) => {
    expect(soundsUnfinished(text)).toBe(true);
  });

  it.each([
    'The latency fell by forty percent.',
    'Did that answer your question?',
    'And that was it!',
    'We shipped it',
  ])('"%s" does', (text) => {
    expect(soundsUnfinished(text)).toBe(false);
  });

  it('a sentence that ends on a number is finished, full stop or not ("…fell by 40%")', () => {
    expect(soundsUnfinished('and the latency fell by 40%')).toBe(false);
    expect(soundsUnfinished('we saved $120,000')).toBe(false);
    expect(soundsUnfinished('it dropped to 3')).toBe(false);
  });

  it('an empty transcript gives no hint either way', () => {
    expect(soundsUnfinished('')).toBe(false);
    expect(soundsUnfinished('   ')).toBe(false);
  });

  it('a word that merely contains an open ending ("brand", "also") is not one', () => {
    expect(soundsUnfinished('We rebuilt the brand')).toBe(false);
    expect(soundsUnfinished('It scaled also')).toBe(false);
  });
});

describe('the silence an unfinished sentence waits for', () => {
  it('is twice the setting, at most 3 s more', () => {
    expect(silenceNeededMs(2000, false)).toBe(2000);
    expect(silenceNeededMs(800, true)).toBe(1600);
    expect(silenceNeededMs(2000, true)).toBe(4000);
    expect(silenceNeededMs(6000, true)).toBe(9000);
  });
});

describe('end of turn', () => {
  it('waits however long the candidate takes to begin, then ends after the setting — not before', () => {
    const turn = new EndOfTurn({ silenceMs: 1500 });
    let { states, t } = feed(turn, false, 10_000, 0);
    expect(new Set(states)).toEqual(new Set(['waiting']));
    ({ states, t } = feed(turn, true, 2000, t));
    expect(states.at(-1)).toBe('speaking');
    expect(endsAfter(turn, 3000, t)).toBe(1500);
    expect(turn.speechMs).toBeGreaterThanOrEqual(1850);
  });

  it('a click shorter than the minimum speech does not start the answer', () => {
    const turn = new EndOfTurn({ silenceMs: 800, minSpeechMs: 100 });
    let t = feed(turn, true, 50, 0).t;
    t = feed(turn, false, 3000, t).t;
    expect(turn.state).toBe('waiting');
    feed(turn, true, 200, t);
    expect(turn.state).toBe('speaking');
  });

  it('a pause shorter than the setting, mid-sentence, does not end the answer', () => {
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let t = feed(turn, true, 1500, 0).t;
    const pause = feed(turn, false, 1900, t);
    expect(pause.states).not.toContain('ended');
    t = feed(turn, true, 1000, pause.t).t;
    expect(endsAfter(turn, 3000, t)).toBe(2000);
  });

  it('after "…three stages, and" the answer waits twice the setting; a finished sentence then ends it at the setting', () => {
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let t = feed(turn, true, 3000, 0).t;
    turn.transcript('I planned the rollout in three stages, and');
    expect(turn.unfinished).toBe(true);
    // 3.5 s of thought: more than the setting, less than twice it.
    const pause = feed(turn, false, 3500, t);
    expect(pause.states).not.toContain('ended');
    t = feed(turn, true, 1500, pause.t).t;
    turn.transcript('I planned the rollout in three stages, and the latency fell by forty percent.');
    expect(endsAfter(turn, 5000, t)).toBe(2000);
  });

  it('a transcript ending in "and" says nothing once the candidate has said more than it holds', () => {
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let t = feed(turn, true, 3000, 0).t;
    turn.transcript('I planned the rollout in three stages, and');
    // Half a second more of the same sentence after it arrived: still its tail, still unfinished.
    t = feed(turn, true, 500, t).t;
    expect(turn.unfinished).toBe(true);
    t = feed(turn, false, 3000, t).t;
    // "…the latency fell by forty percent." is not transcribed yet: the plain setting ends the answer.
    t = feed(turn, true, 2000, t).t;
    expect(turn.unfinished).toBe(false);
    expect(endsAfter(turn, 5000, t)).toBe(2000);
  });

  it('a transcript of an earlier segment says nothing once a later one has been cut and sent', () => {
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let t = feed(turn, true, 3000, 0).t;
    turn.transcript('I planned the rollout in three stages, and');
    expect(turn.unfinished).toBe(true);
    // The segment after it is cut at this pause, still being transcribed: the plain setting applies...
    turn.cut();
    expect(turn.unfinished).toBe(false);
    // ...until its transcript arrives, which the policy reads again.
    t = feed(turn, false, 500, t).t;
    turn.transcript('I planned the rollout in three stages, and we chose Postgres because, um');
    expect(turn.unfinished).toBe(true);
    expect(endsAfter(turn, 5000, t)).toBe(3500);
  });

  it('a transcript of the first segment that arrives after the second was cut says nothing of the end', () => {
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let t = feed(turn, true, 2500, 0).t;
    turn.cut();
    t = feed(turn, false, 1500, t).t;
    t = feed(turn, true, 2300, t).t;
    turn.cut();
    // The recogniser was slow: the first segment's "…, and" arrives only now, after the second was cut.
    turn.transcript('I planned the rollout in three stages, and', 1);
    expect(turn.unfinished).toBe(false);
    expect(endsAfter(turn, 5000, t)).toBe(2000);
    // Both segments' transcript is read as the answer's end.
    turn.transcript('I planned the rollout in three stages, and we chose Postgres because', 2);
    expect(turn.unfinished).toBe(true);
  });

  it('a voice that rose into the pause waits like an "and"; once speech resumes, the rise is forgotten', () => {
    const turn = new EndOfTurn({ silenceMs: 1500 });
    let t = feed(turn, true, 2000, 0).t;
    // No live transcript yet: only the voice says the thought is not over.
    turn.intonation(true);
    expect(turn.unfinished).toBe(true);
    const pause = feed(turn, false, 2500, t);
    expect(pause.states).not.toContain('ended');
    t = feed(turn, true, 1000, pause.t).t;
    turn.transcript('We moved the nightly jobs to a queue.');
    expect(turn.unfinished).toBe(false);
    expect(endsAfter(turn, 5000, t)).toBe(1500);
  });

  it('an unfinished sentence still ends, after the longer silence', () => {
    const turn = new EndOfTurn({ silenceMs: 1000 });
    const t = feed(turn, true, 1000, 0).t;
    turn.transcript('We chose Postgres because, um');
    expect(endsAfter(turn, 5000, t)).toBe(2000);
  });

  it('"I\'m thinking" stops the silence clock; on release the full silence starts again', () => {
    const turn = new EndOfTurn({ silenceMs: 1000 });
    let t = feed(turn, true, 1000, 0).t;
    t = feed(turn, false, 600, t).t;
    turn.hold(true, t);
    const held = feed(turn, false, 20_000, t);
    expect(held.states).not.toContain('ended');
    expect(turn.held).toBe(true);
    turn.hold(false, held.t);
    t = held.t;
    expect(endsAfter(turn, 3000, t)).toBe(1000);
  });

  it('a rise heard before a hold is spent once the hold is released', () => {
    const turn = new EndOfTurn({ silenceMs: 2000 });
    let t = feed(turn, true, 2000, 0).t;
    turn.intonation(true);
    turn.hold(true, t);
    t = feed(turn, false, 3000, t).t;
    expect(turn.unfinished).toBe(true);
    turn.hold(false, t);
    expect(turn.unfinished).toBe(false);
    expect(endsAfter(turn, 5000, t)).toBe(2000);
  });

  it('a hold taken before the first word changes nothing: the turn still waits for speech', () => {
    const turn = new EndOfTurn({ silenceMs: 1000 });
    turn.hold(true, 0);
    let t = feed(turn, false, 2000, 0).t;
    expect(turn.state).toBe('waiting');
    turn.hold(false, t);
    t = feed(turn, true, 500, t).t;
    expect(endsAfter(turn, 2000, t)).toBe(1000);
  });

  it('stays ended', () => {
    const turn = new EndOfTurn({ silenceMs: 800 });
    const t = feed(turn, true, 500, 0).t;
    expect(endsAfter(turn, 1000, t)).toBe(800);
    expect(turn.update(true, t + 2000)).toBe('ended');
  });
});
