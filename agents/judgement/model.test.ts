import { describe, expect, it } from 'vitest';
import { gram, predictRidge, solveRidge, withDifferenceRows } from './model.js';

describe('minimal-pair difference rows', () => {
  // Absolute labels that feature 0 barely explains (the stories differ in ways the features miss), and
  // pairs of one story with feature 0 switched off that the labels put one level apart.
  const x = [
    [1, 0.2],
    [0, 0.9],
    [1, 0.5],
    [0, 0.1],
    [1, 0.7],
    [0, 0.4],
  ];
  const y = [[3], [3], [2], [3], [4], [2]];
  const g = gram(x, y);
  const pairs = [
    { better: [1, 0.3], worse: [0, 0.3], gap: 1 },
    { better: [1, 0.6], worse: [0, 0.6], gap: 1 },
  ];
  const gapOf = (r: ReturnType<typeof solveRidge>) =>
    predictRidge(r, [1, 0.5])[0]! - predictRidge(r, [0, 0.5])[0]!;

  it('pull the model towards the gap the labels give each pair', () => {
    const without = solveRidge(withDifferenceRows(g, 0, pairs, 0), 0.1);
    const withRows = solveRidge(withDifferenceRows(g, 0, pairs, 100), 0.1);
    expect(Math.abs(gapOf(without))).toBeLessThan(0.5);
    expect(gapOf(withRows)).toBeCloseTo(1, 1);
  });

  it('weight 0 is the plain ridge of that output', () => {
    const plain = solveRidge(g, 0.1);
    const zero = solveRidge(withDifferenceRows(g, 0, pairs, 0), 0.1);
    expect(zero.weights[0]).toEqual(plain.weights[0]);
    expect(zero.bias[0]).toBeCloseTo(plain.bias[0]!, 12);
  });
});
