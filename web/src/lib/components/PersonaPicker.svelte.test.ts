import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import PersonaPicker from './PersonaPicker.svelte';

describe('PersonaPicker', () => {
  it('offers the three interviewers, neutral chosen, each described', () => {
    render(PersonaPicker);
    const group = screen.getByRole('group', { name: 'Interviewer' });
    const radios = screen.getAllByRole('radio') as HTMLInputElement[];
    expect(group).toBeTruthy();
    expect(radios.map((r) => r.value)).toEqual(['friendly', 'neutral', 'tough']);
    expect(radios.find((r) => r.checked)?.value).toBe('neutral');
    expect(screen.getByLabelText(/Tough/).closest('label')?.textContent).toMatch(/wants numbers/);
  });

  it('choosing one checks it (and only it)', async () => {
    render(PersonaPicker, { value: 'friendly' });
    expect((screen.getByTestId('persona-friendly') as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId('persona-tough'));
    const checked = (screen.getAllByRole('radio') as HTMLInputElement[]).filter((r) => r.checked);
    expect(checked.map((r) => r.value)).toEqual(['tough']);
  });
});
