import { describe, expect, it } from 'vitest';
import {
  fitBoost,
  gram,
  predictRidge,
  solveRidge,
  withDifferenceRows,
  withoutInputs,
  type Tree,
} from './model.js';

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

describe('inputs a dimension may not read', () => {
  // Input 1 predicts the label perfectly; a dimension barred from it must do without.
  const x = [
    [0.1, 1],
    [0.4, 2],
    [0.3, 3],
    [0.9, 4],
    [0.5, 5],
    [0.2, 1],
    [0.8, 2],
    [0.6, 3],
    [0.7, 4],
    [0.35, 5],
    [0.15, 1],
    [0.45, 2],
    [0.55, 3],
    [0.65, 4],
    [0.75, 5],
    [0.85, 1],
    [0.95, 2],
    [0.05, 3],
  ];
  const y = x.map(([, b]) => [b!]);

  it('get weight 0 in the ridge, and the others are fit as without them', () => {
    const g = withDifferenceRows(gram(x, y), 0, [], 0);
    const free = solveRidge(g, 0.01);
    const barred = solveRidge(withoutInputs(g, [1]), 0.01);
    expect(free.weights[0]![1]).toBeCloseTo(1, 2);
    expect(barred.weights[0]![1]).toBe(0);
    const alone = solveRidge(
      gram(
        x.map(([a]) => [a!]),
        y,
      ),
      0.01,
    );
    expect(barred.weights[0]![0]).toBeCloseTo(alone.weights[0]![0]!, 9);
    expect(barred.bias[0]).toBeCloseTo(alone.bias[0]!, 9);
  });

  it('are never split on by the boosted trees', () => {
    const residual = y.map(([v]) => v! - 3);
    const splitsOn = (t: Tree): number[] =>
      typeof t === 'number' ? [] : [t.feature, ...splitsOn(t.left), ...splitsOn(t.right)];
    const free = fitBoost(x, residual, 5).trees.flatMap(splitsOn);
    const barred = fitBoost(x, residual, 5, 0.1, 2, [1]).trees.flatMap(splitsOn);
    expect(free).toContain(1);
    expect(barred.length).toBeGreaterThan(0);
    expect(barred).not.toContain(1);
  });
});
