// Voice on a machine without ffmpeg: the API and worker run with ffmpeg and ffprobe hidden from their PATH
// (nothing uninstalled), and a hands-free session is still answered by voice end to end in real Chromium,
// because the browser captures PCM itself and uploads a 16 kHz WAV, which the server reads in process.
// Another container (WebM) is refused there with 415, naming what is missing: the proof ffmpeg was gone.
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { voiceActivity } from '../../voice/audio.js';
import { decodeWav } from '../../voice/wav.js';
import { apiClient, createReadyJob } from '../support/client.js';
import { fakeMicAnswer, HEARD_WHOLE_ANSWER, speak } from '../support/speech.js';
import { fakeMicrophone, startBrowserStack, type BrowserStack } from '../support/browser.js';

let ui: BrowserStack;
let page: Page;
let client: ReturnType<typeof apiClient>;
let jobId: string;
/** A WebM/Opus answer, as MediaRecorder would send it. */
let webm: Buffer;

beforeAll(async () => {
  // What the test itself needs of ffmpeg is made before the stack hides it.
  const mic = await fakeMicAnswer();
  webm = await readFile(await speak('I would start by listening to the customer.', { format: 'webm' }));
  ui = await startBrowserStack(
    { OFFLINE_TOKEN_DELAY_MS: '15' },
    { reducedMotion: 'reduce' },
    fakeMicrophone(mic),
    { withoutCommands: ['ffmpeg', 'ffprobe'] },
  );
  page = ui.page;
  client = apiClient(ui.stack.baseUrl);
  jobId = await createReadyJob(client);
});

afterAll(() => ui?.close());

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail')
    await ui?.shot(`voice-no-ffmpeg-failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

it('runs without ffmpeg or ffprobe on the PATH', () => {
  for (const tool of ['ffmpeg', 'ffprobe'])
    expect(spawnSync(tool, ['-version']).error, tool).toMatchObject({ code: 'ENOENT' });
  // ...while everything else on it still runs
  expect(spawnSync('sh', ['-c', 'true']).status).toBe(0);
});

it('a spoken hands-free answer is transcribed and coached: the browser streams 16 kHz WAV segments, stored as one', async () => {
  // The audio each answer upload carries (a streamed answer's segments, or a whole file), as the page hands
  // it to fetch.
  await page.addInitScript(() => {
    const w = window as unknown as { uploads: { url: string; type: string; size: number }[] };
    w.uploads = [];
    const fetch = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const body = init?.body instanceof FormData ? init.body.get('file') : init?.body;
      if (body instanceof Blob) w.uploads.push({ url: String(input), type: body.type, size: body.size });
      return fetch(input, init);
    };
  });

  await page.goto(`${ui.stack.baseUrl}/jobs/${jobId}`);
  await page.getByTestId('rounds-input').fill('1');
  await page.getByTestId('mode-voice').check();
  await page.getByTestId('hands-free').check();
  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const sessionId = page.url().split('/').at(-1)!;
  // From here on nothing is clicked or typed.
  await expect
    .poll(() => page.getByTestId('voice-recorder').getAttribute('data-phase'), { timeout: 60_000 })
    .toBe('recording');

  // What the candidate sees: their words as the answer (growing segment by segment while the live
  // transcript comes in, so the whole answer is waited for), then the critique.
  const answerBubble = page.locator('.bubble.user');
  await expect
    .poll(() => answerBubble.first().textContent(), { timeout: 90_000 })
    .toMatch(HEARD_WHOLE_ANSWER);
  await page.getByTestId('feedback-panel').waitFor({ timeout: 120_000 });
  await expect
    .poll(async () => ((await page.locator('.critique').first().textContent()) ?? '').trim().length, {
      timeout: 30_000,
    })
    .toBeGreaterThan(20);
  expect(await page.getByTestId('speech-transcript').textContent()).toMatch(HEARD_WHOLE_ANSWER);
  expect(await page.getByTestId('upload-error').count()).toBe(0);
  await ui.shot('voice-no-ffmpeg-feedback');

  // The stored recording is that WAV: 16 kHz mono 16-bit PCM, seconds of speech-level sound.
  const snapshot = await client.call<{ turns: { id: string; answer?: string }[] }>(
    'GET',
    `/api/sessions/${sessionId}`,
  );
  const turn = snapshot.json.turns.find((t) => t.answer)!;
  expect(turn.answer).toMatch(HEARD_WHOLE_ANSWER);
  const rec = await fetch(`${ui.stack.baseUrl}/api/sessions/${sessionId}/turns/${turn.id}/audio`);
  expect(rec.status).toBe(200);
  expect(rec.headers.get('content-type')).toMatch(/^audio\/wav/);
  const stored = Buffer.from(await rec.arrayBuffer());
  // ...the WAV segments the browser sent for that turn, joined; every upload (a follow-up probe's answer
  // too) was a WAV segment.
  const uploads = await page.evaluate(
    () => (window as unknown as { uploads: { url: string; type: string; size: number }[] }).uploads,
  );
  for (const upload of uploads) {
    expect(upload.type).toBe('audio/wav');
    expect(upload.url).toMatch(/\/audio\/segments\/\d+$/);
  }
  const sent = uploads.filter((u) => u.url.includes(`/turns/${turn.id}/`));
  expect(sent.length).toBeGreaterThanOrEqual(1);
  const WAV_HEADER = 44;
  expect(stored.length - WAV_HEADER).toBe(sent.reduce((n, u) => n + u.size - WAV_HEADER, 0));
  const wav = decodeWav(stored);
  expect({ rate: wav.sampleRate, channels: wav.channels, float: wav.float }).toEqual({
    rate: 16_000,
    channels: 1,
    float: false,
  });
  const activity = voiceActivity({ samples: wav.samples, sampleRate: 16_000 });
  expect(activity.voicedSec).toBeGreaterThan(3);
  expect(activity.loudestDb).toBeGreaterThan(-30);
}, 240_000);

it('refuses a WebM upload on the same server with 415, naming the missing ffprobe', async () => {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  expect(created.status).toBe(201);
  await client.waitStatus(created.json.id, 'awaiting_answer');
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(webm)]), 'answer.webm');
  const res = await fetch(`${ui.stack.baseUrl}/api/sessions/${created.json.id}/audio`, {
    method: 'POST',
    body: form,
  });
  expect(res.status).toBe(415);
  expect(((await res.json()) as { detail?: string }).detail).toMatch(/ffprobe is not installed/);
});
