import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Poller } from './poller';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A load whose calls resolve when the test says so. */
function gatedLoad() {
  const pending: (() => void)[] = [];
  const load = vi.fn(() => new Promise<void>((r) => pending.push(r)));
  const finish = async () => {
    pending.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
  };
  return { load, finish };
}

describe('Poller', () => {
  it('polls every interval while `again` holds, and stops when it does not', async () => {
    let busy = true;
    const load = vi.fn(async () => undefined);
    const p = new Poller({ intervalMs: 100, load, again: () => busy, duringFetch: 'skip' });
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(load).toHaveBeenCalledTimes(3);
    busy = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('coalesce: a refresh during a fetch fetches once more after it', async () => {
    const { load, finish } = gatedLoad();
    const p = new Poller({ intervalMs: 100, load, again: () => false, duringFetch: 'coalesce' });
    p.start();
    void p.refresh();
    void p.refresh();
    expect(load).toHaveBeenCalledTimes(1);
    await finish();
    expect(load).toHaveBeenCalledTimes(2);
    await finish();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('skip: a refresh during a fetch is answered by the fetch in flight', async () => {
    const { load, finish } = gatedLoad();
    const p = new Poller({ intervalMs: 100, load, again: () => false, duringFetch: 'skip' });
    p.start();
    void p.refresh();
    await finish();
    await vi.advanceTimersByTimeAsync(500);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does nothing once stopped, even when a fetch lands afterwards', async () => {
    const { load, finish } = gatedLoad();
    const p = new Poller({ intervalMs: 100, load, again: () => true, duringFetch: 'coalesce' });
    p.start();
    p.stop();
    await finish();
    await vi.advanceTimersByTimeAsync(500);
    void p.refresh();
    expect(load).toHaveBeenCalledTimes(1);
    expect(p.active).toBe(false);
  });
});
