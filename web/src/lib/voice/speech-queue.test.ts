import { describe, expect, it } from 'vitest';
import { PlaybackBlocked, SpeechQueue, type Clip } from './speech-queue';
import { SentenceSplitter } from './sentences';

/** Clips that finish when the test says so, recording when each was created (fetched) and played. */
function harness(opts: { ahead?: number; blockFirst?: boolean } = {}) {
  const log: string[] = [];
  const finishers = new Map<string, () => void>();
  let block = opts.blockFirst ?? false;
  const changes: boolean[] = [];
  const errors: string[] = [];
  let blocked = 0;
  const queue = new SpeechQueue({
    ahead: opts.ahead,
    makeClip: (text): Clip => {
      log.push(`fetch ${text}`);
      return {
        play: () =>
          new Promise<void>((resolve, reject) => {
            if (block) {
              block = false;
              reject(new PlaybackBlocked());
              return;
            }
            if (text.includes('broken')) {
              reject(new Error('404'));
              return;
            }
            log.push(`play ${text}`);
            finishers.set(text, resolve);
          }),
        stop: () => {
          log.push(`stop ${text}`);
          finishers.get(text)?.();
        },
      };
    },
    onchange: (s) => changes.push(s),
    onerror: (text) => errors.push(text),
    onblocked: () => blocked++,
  });
  const finish = async (text: string) => {
    finishers.get(text)!();
    finishers.delete(text);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { queue, log, finish, changes, errors, blocked: () => blocked };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('speech queue', () => {
  it('plays sentences in order, one at a time, fetching the next ones ahead', async () => {
    const { queue, log, finish, changes } = harness({ ahead: 2 });
    queue.enqueue('One.', 'Two.', 'Three.', 'Four.');
    await tick();
    expect(log).toEqual(['fetch One.', 'fetch Two.', 'fetch Three.', 'play One.']);
    await finish('One.');
    expect(log.slice(3)).toEqual(['play One.', 'fetch Four.', 'play Two.']);
    await finish('Two.');
    queue.enqueue('Five.'); // arriving while Three plays: queued behind it
    await finish('Three.');
    await finish('Four.');
    const idle = queue.idle();
    await finish('Five.');
    await idle;
    expect(log.filter((l) => l.startsWith('play'))).toEqual([
      'play One.',
      'play Two.',
      'play Three.',
      'play Four.',
      'play Five.',
    ]);
    expect(queue.spoken).toEqual(['One.', 'Two.', 'Three.', 'Four.', 'Five.']);
    expect(changes).toEqual([true, false]);
    expect(queue.speaking).toBe(false);
  });

  it('stop() (barge-in) cuts the sentence playing and drops the queued ones', async () => {
    const { queue, log, changes } = harness();
    queue.enqueue('One.', 'Two.', 'Three.');
    await tick();
    queue.stop();
    await tick();
    expect(queue.speaking).toBe(false);
    expect(log).toContain('stop One.');
    expect(log.filter((l) => l.startsWith('play'))).toEqual(['play One.']);
    expect(changes).toEqual([true, false]);
    // Speaking later starts afresh.
    queue.enqueue('Again.');
    await tick();
    expect(log.at(-1)).toBe('play Again.');
  });

  it('skips a sentence that fails and reports it', async () => {
    const { queue, log, errors, finish } = harness();
    queue.enqueue('A broken one.', 'Fine.');
    await tick();
    expect(errors).toEqual(['A broken one.']);
    expect(log.at(-1)).toBe('play Fine.');
    await finish('Fine.');
    expect(queue.speaking).toBe(false);
  });

  it('waits for resume() when the browser blocks autoplay, then plays from the same sentence', async () => {
    const h = harness({ blockFirst: true });
    h.queue.enqueue('First.', 'Second.');
    await tick();
    expect(h.blocked()).toBe(1);
    expect(h.queue.blocked).toBe(true);
    expect(h.queue.speaking).toBe(false);
    h.queue.resume();
    await tick();
    expect(h.log.filter((l) => l.startsWith('play'))).toEqual(['play First.']);
    await h.finish('First.');
    expect(h.log.at(-1)).toBe('play Second.');
  });

  it('a streamed critique: its first sentence is fetched and playing once its last word arrives, before the rest', async () => {
    const { queue, log } = harness();
    const splitter = new SentenceSplitter();
    // The offline coach sends its verdict at once, then the rest word by word (agents/context.ts).
    const verdict = 'Strong on structure; one thing to fix: put a number on the result. ';
    const rest = 'What worked: a clear personal action. Gaps: add a number.';
    const words = [...verdict.match(/\S+\s*/g)!];
    for (const word of words.slice(0, -1)) queue.enqueue(...splitter.push(word));
    await tick();
    expect(log).toEqual([]);
    queue.enqueue(...splitter.push(words.at(-1)!));
    await tick();
    expect(log).toEqual([`fetch ${verdict.trim()}`, `play ${verdict.trim()}`]);
    for (const word of rest.match(/\S+\s*/g)!) queue.enqueue(...splitter.push(word));
    queue.enqueue(...splitter.flush());
    await tick();
    expect(log.slice(2)).toEqual([
      'fetch What worked: a clear personal action.',
      'fetch Gaps: add a number.',
    ]);
  });
});

describe('SpeechQueue voices', () => {
  it('fetches each sentence in the voice it was queued with, in order, keeping the voice after a blocked start', async () => {
    const fetched: string[] = [];
    let block = true;
    const played: string[] = [];
    const queue = new SpeechQueue({
      makeClip: (text, voice) => {
        fetched.push(`${voice ?? 'default'}: ${text}`);
        return {
          play: () => {
            if (block) {
              block = false;
              return Promise.reject(new PlaybackBlocked());
            }
            played.push(`${voice ?? 'default'}: ${text}`);
            return Promise.resolve();
          },
          stop: () => {},
        };
      },
    });
    queue.enqueueAs('espeak:en-gb+m3', "I'll let Ben ask about debugging.");
    queue.enqueueAs('piper:en_US-joe-medium', 'Tell me about a bug you chased.');
    queue.enqueue('A sentence in the default voice.');
    await new Promise((r) => setTimeout(r, 0));
    queue.resume();
    await queue.idle();
    expect(played).toEqual([
      "espeak:en-gb+m3: I'll let Ben ask about debugging.",
      'piper:en_US-joe-medium: Tell me about a bug you chased.',
      'default: A sentence in the default voice.',
    ]);
    expect(fetched[0]).toBe("espeak:en-gb+m3: I'll let Ben ask about debugging.");
  });
});
