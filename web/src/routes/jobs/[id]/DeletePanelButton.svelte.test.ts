import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { PanelTemplateEntry } from '$lib/api';
import { fakeApi } from '../../../test-support/fake-api';
import DeletePanelButton from './DeletePanelButton.svelte';

const panel = {
  id: 'our-loop',
  title: 'Our loop',
  builtIn: false,
  panelists: [],
} as unknown as PanelTemplateEntry;

describe('DeletePanelButton', () => {
  it('asks first: Cancel deletes nothing; Delete panel deletes it and says so', async () => {
    const calls = fakeApi({ 'DELETE /api/panel-templates/our-loop': () => undefined });
    const ondeleted = vi.fn();
    render(DeletePanelButton, { panel, ondeleted });
    await fireEvent.click(screen.getByTestId('delete-panel'));
    const dialog = screen.getByTestId('delete-panel-dialog');
    expect(dialog.textContent).toMatch(/Delete the panel “Our loop”\?/);
    expect(dialog.textContent).toMatch(/keep their panelists,\s+scorecards and debrief/);
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('delete-panel-dialog')).toBeNull();
    expect(calls).toEqual([]);

    await fireEvent.click(screen.getByTestId('delete-panel'));
    await fireEvent.click(screen.getByTestId('delete-panel-confirm'));
    await waitFor(() => expect(ondeleted).toHaveBeenCalledOnce());
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /api/panel-templates/our-loop']);
    expect(screen.queryByTestId('delete-panel-dialog')).toBeNull();
  });

  it('keeps the dialog open with the API’s reason when the delete is refused', async () => {
    fakeApi({
      'DELETE /api/panel-templates/our-loop': () => ({
        status: 404,
        problem: 'panel template our-loop not found',
      }),
    });
    const ondeleted = vi.fn();
    render(DeletePanelButton, { panel, ondeleted });
    await fireEvent.click(screen.getByTestId('delete-panel'));
    await fireEvent.click(screen.getByTestId('delete-panel-confirm'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/our-loop not found/);
    expect(screen.getByTestId('delete-panel-dialog')).toBeTruthy();
    expect(ondeleted).not.toHaveBeenCalled();
  });

  it('puts focus on Cancel when it opens; Escape closes it and gives focus back to Delete', async () => {
    const calls = fakeApi({});
    render(DeletePanelButton, { panel, ondeleted: vi.fn() });
    const opener = screen.getByTestId('delete-panel');
    await fireEvent.click(opener);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await fireEvent.keyDown(screen.getByTestId('delete-panel-dialog'), { key: 'Escape' });
    expect(screen.queryByTestId('delete-panel-dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    expect(calls).toEqual([]);
  });
});
