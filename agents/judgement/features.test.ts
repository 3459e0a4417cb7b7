import { describe, expect, it } from 'vitest';
import { askedPhrase } from './features.js';

describe('askedPhrase', () => {
  it('leaves the frame of a behavioural question off, keeping what it asks about', () => {
    expect(askedPhrase('Tell me about a time you disagreed with a teammate.')).toBe(
      'disagreed with a teammate',
    );
    expect(askedPhrase('Describe a time when you had to meet a tight deadline?')).toBe(
      'had to meet a tight deadline',
    );
    expect(askedPhrase('Can you walk me through a situation where you led an incident?')).toBe(
      'led an incident',
    );
    expect(askedPhrase('How do you approach forecasting?')).toBe('approach forecasting');
    expect(askedPhrase('Tell me about an incident you led.')).toBe('an incident you led');
  });

  it('keeps a question in no known frame whole, without its closing mark', () => {
    expect(askedPhrase('Why this role?')).toBe('Why this role');
  });
});
