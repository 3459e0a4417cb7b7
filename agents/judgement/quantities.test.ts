// The quantity parser reads results as people say them, in words as well as in digits.
import { describe, expect, it } from 'vitest';
import { isChange, parseQuantities } from './quantities.js';

describe('parseQuantities', () => {
  it('reads "one in fifty" as a ratio', () => {
    expect(parseQuantities('Now only one in fifty deploys fails.')).toEqual([
      { text: 'one in fifty', kind: 'ratio', value: 0.02 },
    ]);
  });

  it('reads a change between two ratios: from one in five to one in fifty, ten times fewer', () => {
    const [q] = parseQuantities('Failed deploys went from one in five to one in fifty.');
    expect(q).toMatchObject({ kind: 'change', from: 0.2, to: 0.02 });
    expect(q!.factor).toBeCloseTo(10, 9);
  });

  it('reads "halved", "doubled", "cut it in half" and "three times faster" as multipliers', () => {
    expect(parseQuantities('I halved the queue time.')).toEqual([
      { text: 'halved', kind: 'multiplier', factor: 2 },
    ]);
    expect(parseQuantities('We doubled throughput.')[0]).toMatchObject({ kind: 'multiplier', factor: 2 });
    expect(parseQuantities('That cut it in half.')[0]).toMatchObject({ kind: 'multiplier', factor: 2 });
    expect(parseQuantities('It ran three times faster.')[0]).toMatchObject({ kind: 'multiplier', factor: 3 });
    // "twice" counts only as a comparison, not as "sends the same charge twice".
    expect(parseQuantities('I added a test that sends the same charge twice.')).toEqual([]);
  });

  it('reads "from two hours to twelve minutes" in one unit: ten times faster', () => {
    expect(parseQuantities('The build went from two hours to twelve minutes.')).toEqual([
      { text: 'from two hours to twelve minutes', kind: 'change', from: 7200, to: 720, factor: 10 },
    ]);
  });

  it('reads "weekly to daily" as a change of frequency, seven times as often', () => {
    expect(parseQuantities('We went from weekly to daily releases.')).toEqual([
      { text: 'from weekly to daily', kind: 'frequency', from: 7, to: 1, factor: 7 },
    ]);
  });

  it('reads digits, percentages and money, and tells changes from plain numbers', () => {
    const found = parseQuantities(
      'Failed payouts went from 2% to 0.04%, and finance got back about fifteen hours a week.',
    );
    expect(found.map((q) => [q.kind, q.text])).toEqual([
      ['change', 'from 2% to 0.04%'],
      ['number', 'fifteen hours'],
    ]);
    expect(found.map(isChange)).toEqual([true, false]);
    expect(parseQuantities('a $90,000 deal').map((q) => q.value)).toEqual([90000]);
    expect(parseQuantities('I talked to the team about it.')).toEqual([]);
  });

  it('says a plain number with what it counts, and marks an order or a year as measuring nothing', () => {
    expect(parseQuantities('After that the close took six days.')).toEqual([
      { text: 'six days', kind: 'number', value: 6 },
    ]);
    expect(parseQuantities('It was within three percent.')[0]!.text).toBe('three percent');
    expect(parseQuantities('He got nights twice as often as anyone else.')).toEqual([
      { text: 'twice as often', kind: 'multiplier', factor: 2 },
    ]);
    expect(parseQuantities('By the end of the year first-quarter leavers fell to 12%.')).toEqual([
      { text: 'first-quarter', kind: 'number', value: 1, incidental: true },
      { text: '12%', kind: 'number', value: 12 },
    ]);
    expect(parseQuantities('We launched it in 2019.')).toEqual([
      { text: '2019', kind: 'number', value: 2019, incidental: true },
    ]);
  });

  it('reads "from twelve to two" as hours of the clock, unless something went from one to the other', () => {
    // A trial's feedback named "Concrete numbers: from twelve to two" for "opened a second till from twelve to two".
    const [till] = parseQuantities('I opened a second till from twelve to two.');
    expect(till).toEqual({ text: 'from twelve to two', kind: 'number', incidental: true });
    expect(parseQuantities('Failures fell from 12 to 2.')[0]).toMatchObject({ kind: 'change', factor: 6 });
    expect(parseQuantities('We cut failures from 12 to 2.')[0]).toMatchObject({ kind: 'change' });
  });

  it('reads a unit of time said once as both ends\' ("from eight days to five": 1.6 times, not 138,240)', () => {
    expect(parseQuantities('The close went from eight days to five.')[0]!.factor).toBeCloseTo(1.6, 9);
    expect(parseQuantities('Wait times went from nine to three days.')[0]!.factor).toBeCloseTo(3, 9);
  });
});
