import { describe, expect, it } from 'vitest';
import { SENIORITIES } from '../../core/types.js';
import {
  BANK_MODULES,
  QUESTION_BANK,
  candidatesFor,
  moduleForRound,
  parseBank,
  type BankQuestion,
} from './bank.js';

/** How the coach records an asked question: a grounding preface, then the bank text. */
const asAsked = (q: BankQuestion) => `The role calls for this: "Owning a roadmap." ${q.text}`;
const wasAsked = (q: BankQuestion, asked: readonly string[]) => asked.some((a) => a.includes(q.text));

const valid = {
  id: 'b-sample-01',
  module: 'behavioral',
  competency: 'impact',
  seniority: ['mid'],
  text: 'Tell me about a sample result you are proud of.',
  keywords: ['result'],
  followUps: ['What did you personally do?'],
};

describe('question bank data', () => {
  it('ships at least 150 questions with unique ids and unique texts', () => {
    expect(QUESTION_BANK.length).toBeGreaterThanOrEqual(150);
    expect(new Set(QUESTION_BANK.map((q) => q.id)).size).toBe(QUESTION_BANK.length);
    expect(new Set(QUESTION_BANK.map((q) => q.text.toLowerCase())).size).toBe(QUESTION_BANK.length);
  });

  it('has at least 30 questions in every module, and 70 behavioral, 45 technical', () => {
    for (const module of BANK_MODULES) {
      expect(QUESTION_BANK.filter((q) => q.module === module).length, module).toBeGreaterThanOrEqual(30);
    }
    expect(QUESTION_BANK.filter((q) => q.module === 'behavioral').length).toBeGreaterThanOrEqual(70);
    expect(QUESTION_BANK.filter((q) => q.module === 'technical').length).toBeGreaterThanOrEqual(45);
  });

  it('suits every seniority with at least 40 questions, and every module at every level', () => {
    for (const level of SENIORITIES) {
      const suited = QUESTION_BANK.filter((q) => q.seniority.includes(level));
      expect(suited.length, level).toBeGreaterThanOrEqual(40);
      for (const module of BANK_MODULES) {
        expect(suited.filter((q) => q.module === module).length, `${level} ${module}`).toBeGreaterThan(3);
      }
    }
  });

  it('gives every question keywords and one to three follow-ups', () => {
    for (const q of QUESTION_BANK) {
      expect(q.keywords.length, q.id).toBeGreaterThan(0);
      expect(q.followUps.length, q.id).toBeGreaterThanOrEqual(1);
      expect(q.followUps.length, q.id).toBeLessThanOrEqual(3);
    }
  });

  it('covers many competencies per module', () => {
    const competencies = (module: string) =>
      new Set(QUESTION_BANK.filter((q) => q.module === module).map((q) => q.competency)).size;
    expect(competencies('behavioral')).toBeGreaterThanOrEqual(12);
    expect(competencies('technical')).toBeGreaterThanOrEqual(10);
    expect(competencies('culture')).toBeGreaterThanOrEqual(8);
  });

  it('rejects a bad entry loudly, naming it', () => {
    expect(() => parseBank([valid, { ...valid, id: 'b-broken-02', followUps: [] }])).toThrow(
      /entry 1 \(b-broken-02\).*followUps/,
    );
    expect(() => parseBank([{ ...valid, seniority: ['principal'] }])).toThrow(/b-sample-01.*seniority/);
    expect(() => parseBank([{ ...valid, module: 'technical' }])).toThrow(/prefix/);
    expect(() => parseBank([valid, { ...valid, text: 'Another question entirely, here.' }])).toThrow(
      /duplicate id b-sample-01/,
    );
    expect(() =>
      parseBank([valid, { ...valid, id: 'b-sample-02', text: `Briefly: ${valid.text} Why?` }]),
    ).toThrow(/b-sample-01 repeats inside b-sample-02/);
    expect(() => parseBank({ questions: [] })).toThrow(/array/);
  });
});

describe('candidatesFor', () => {
  it('returns only questions of the module', () => {
    for (const module of BANK_MODULES) {
      const found = candidatesFor(module, undefined, []);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((q) => q.module === module)).toBe(true);
    }
    expect(candidatesFor('mixed', undefined, []).length).toBe(QUESTION_BANK.length);
  });

  it('respects the seniority when one is given', () => {
    for (const level of SENIORITIES) {
      const found = candidatesFor('behavioral', level, []);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((q) => q.seniority.includes(level))).toBe(true);
    }
    expect(candidatesFor('behavioral', 'entry', []).some((q) => q.id === 'b-lead-03')).toBe(false);
    expect(candidatesFor('behavioral', 'staff', []).some((q) => q.id === 'b-lead-03')).toBe(true);
  });

  it('never returns an asked question while unasked ones remain, even with a grounding preface', () => {
    for (const [module, level] of [
      ['behavioral', undefined],
      ['technical', 'entry'],
      ['culture', 'staff'],
      ['mixed', 'mid'],
    ] as const) {
      const pool = candidatesFor(module, level, []);
      const asked: string[] = [];
      for (let round = 1; round <= pool.length; round++) {
        const found = candidatesFor(module, level, asked, round);
        expect(found.length).toBeGreaterThan(0);
        expect(
          found.some((q) => wasAsked(q, asked)),
          `${module} round ${round}`,
        ).toBe(false);
        asked.push(asAsked(found[0]!));
      }
      expect(new Set(asked).size).toBe(pool.length);
    }
  });

  it('rotates behavioral, technical and culture across the rounds of a mixed session', () => {
    expect([1, 2, 3, 4, 5, 6].map(moduleForRound)).toEqual([
      'behavioral',
      'technical',
      'culture',
      'behavioral',
      'technical',
      'culture',
    ]);
    const asked: string[] = [];
    const modules: string[] = [];
    for (let round = 1; round <= 9; round++) {
      const found = candidatesFor('mixed', 'senior', asked, round);
      expect(new Set(found.map((q) => q.module))).toEqual(new Set([moduleForRound(round)]));
      modules.push(found[0]!.module);
      asked.push(asAsked(found[0]!));
    }
    expect(modules.slice(0, 3)).toEqual(['behavioral', 'technical', 'culture']);
  });

  it('offers another module in a mixed round once the preferred module is used up', () => {
    const allCulture = QUESTION_BANK.filter((q) => q.module === 'culture').map(asAsked);
    const found = candidatesFor('mixed', undefined, allCulture, 3);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((q) => q.module === 'culture')).toBe(false);
  });

  it('falls back to the least recently asked questions once all were asked, never the last one', () => {
    const pool = candidatesFor('culture', 'entry', []);
    const asked = pool.map(asAsked);
    const found = candidatesFor('culture', 'entry', asked);
    const last = pool.at(-1)!;
    expect(found.length).toBeGreaterThan(0);
    expect(found.length).toBeLessThan(pool.length);
    expect(found).toContain(pool[0]);
    expect(found).not.toContain(last);
    // Every fallback was asked before every question left out of it.
    const at = (q: BankQuestion) => pool.indexOf(q);
    const left = pool.filter((q) => !found.includes(q));
    expect(Math.max(...found.map(at))).toBeLessThan(Math.min(...left.map(at)));
  });

  it('ranks a question asked again recently as recent in the fallback', () => {
    const pool = candidatesFor('culture', 'entry', []);
    const asked = [...pool.map(asAsked), asAsked(pool[0]!)];
    const found = candidatesFor('culture', 'entry', asked);
    expect(found).not.toContain(pool[0]);
    expect(found).toContain(pool[1]);
  });
});
