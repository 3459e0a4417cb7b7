// A sentence of the coach's speech as an <audio> element streaming GET /api/tts: the browser starts
// playing before the whole WAV has arrived.
import { api } from '../api';
import { PlaybackBlocked, type Clip } from './speech-queue';

export function ttsClip(text: string, voice?: string): Clip {
  const audio = new Audio();
  audio.preload = 'auto';
  audio.src = api.ttsUrl(text, voice);
  let finish: (() => void) | null = null;
  return {
    play: () =>
      new Promise<void>((resolve, reject) => {
        finish = resolve;
        audio.onended = () => resolve();
        audio.onerror = () =>
          reject(new Error(`The coach's voice could not be loaded (${audio.error?.message || 'error'})`));
        audio.play().catch((err: unknown) => {
          if (err instanceof DOMException && err.name === 'NotAllowedError') reject(new PlaybackBlocked());
          else if (err instanceof DOMException && err.name === 'AbortError') resolve();
          else reject(err instanceof Error ? err : new Error(String(err)));
        });
      }),
    stop: () => {
      audio.pause();
      audio.removeAttribute('src');
      audio.load(); // cancels the download
      finish?.();
    },
  };
}
