import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { countTokens, tokensOf } from './tokens.js';

const prompt = [new SystemMessage('You are an interview coach.'), new HumanMessage('Critique this answer.')];

describe('tokensOf', () => {
  it('takes the usage the server reported', () => {
    const output = {
      generations: [[{ text: 'Good answer.' }]],
      llmOutput: { tokenUsage: { totalTokens: 42 } },
    };
    expect(tokensOf(output, prompt)).toBe(42);
  });

  it('counts the prompt and the reply with the tokenizer when the server reports none (streams on llama.cpp)', () => {
    const output = { generations: [[{ text: 'Good answer, but say what you did yourself.' }]] };
    const counted = tokensOf(output, prompt);
    expect(counted).toBe(
      countTokens('You are an interview coach.') +
        countTokens('Critique this answer.') +
        countTokens('Good answer, but say what you did yourself.'),
    );
    expect(counted).toBeGreaterThan(15);
  });
});
