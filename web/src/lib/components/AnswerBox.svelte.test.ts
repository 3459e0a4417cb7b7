import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import AnswerBox from './AnswerBox.svelte';

const onsubmit = async () => true;

describe('AnswerBox', () => {
  it('offers back an answer the coach did not coach, to send again (or edit) without retyping', async () => {
    render(AnswerBox, { disabled: false, onsubmit, previous: 'I rebuilt the deploy pipeline.' });
    const box = screen.getByTestId('answer-input') as HTMLTextAreaElement;
    expect(box.value).toBe('');
    await fireEvent.click(screen.getByTestId('answer-restore'));
    expect(box.value).toBe('I rebuilt the deploy pipeline.');
    expect(screen.queryByTestId('answer-restore')).toBeNull();
    expect((screen.getByTestId('answer-submit') as HTMLButtonElement).disabled).toBe(false);
  });

  it('offers nothing for a new question, or while answers are not taken', () => {
    render(AnswerBox, { disabled: false, onsubmit });
    expect(screen.queryByTestId('answer-restore')).toBeNull();
    render(AnswerBox, { disabled: true, onsubmit, previous: 'kept' });
    expect(screen.queryByTestId('answer-restore')).toBeNull();
  });
});
