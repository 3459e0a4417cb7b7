// A tough panelist cuts into a rambling spoken answer, in real Chromium (Debian) with a fake microphone that
// rambles (espeak-ng), against the real stack (whisper, the TTS engines, the offline coach), hands-free: the
// answer streams in segments, and once the live transcript rambles past the limit the page stops recording by
// itself, shows the cut-in and says it in the panelist's voice. (The server side alone:
// tests/voice/panel-cut-in.test.ts.)
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { apiClient, createReadyJob } from '../support/client.js';
import { RAMBLE, smallPanel } from '../support/panel.js';
import { convert, speakParts } from '../support/speech.js';
import { fakeMicrophone, startBrowserStack, type BrowserStack, spokenSentences } from '../support/browser.js';
import type { Session } from '../../contract/index.js';

let ui: BrowserStack;
let page: Page;
let client: ReturnType<typeof apiClient>;
let jobId: string;
const panel = smallPanel('cy-first', 'Cy first');
// Cy (tough, may interrupt) weighs the most, so he asks first.
panel.panelists[2]!.competencies = [{ competency: 'failure and learning', weight: 5 }];

beforeAll(async () => {
  // The pieces with short pauses between them (where the page cuts segments, well under the silence that
  // ends an answer), at a microphone's 48 kHz. Chromium loops the file, and no pause in it is long enough to
  // end the answer: the candidate rambles on until Cy cuts in, however slowly the machine transcribes.
  const parts = RAMBLE.flatMap((p) => [p, { pause: 0.6 }]).slice(0, -1);
  const rambling = await convert(await speakParts(parts, { speed: 160 }), 'wav', 48000);
  ui = await startBrowserStack(
    { OFFLINE_TOKEN_DELAY_MS: '5' },
    { reducedMotion: 'reduce' },
    fakeMicrophone(rambling),
  );
  page = ui.page;
  client = apiClient(ui.stack.baseUrl);
  jobId = await createReadyJob(client);
  expect((await client.call('POST', '/api/panel-templates', panel)).status).toBe(201);
}, 180_000);

afterAll(() => ui?.close());
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ui?.shot('panel-cut-in-voice-failed');
});

it('stops the recording when Cy cuts in, shows the cut-in and says it in his voice', async () => {
  const tts = spokenSentences(page);
  await page.goto(`${ui.stack.baseUrl}/jobs/${jobId}`);
  // The longest silence setting, so only the candidate's running out of breath could end the answer.
  await page.evaluate(() => localStorage.setItem('voice.silenceMs', '6000'));
  await page.getByTestId('panel-select').selectOption('cy-first');
  await page.getByTestId('mode-voice').check();
  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const sessionId = page.url().split('/').at(-1)!;

  // Nothing is clicked: the question is said, recording starts by itself, and the candidate rambles on.
  await page.getByTestId('cut-in').waitFor({ timeout: 280_000 });
  const cut = page.locator('.bubble.coach').last();
  expect(await cut.getAttribute('data-panelist')).toBe('cy');
  const cutIn = (await cut.locator('.text').textContent())!.trim();
  expect(cutIn).toMatch(/stop you there|cut in|jump in/);
  await ui.shot('panel-cut-in-voice');

  const session = (await client.call<Session>('GET', `/api/sessions/${sessionId}`)).json;
  const [asked, followUp] = session.turns;
  // The answer ends at what was heard when Cy cut in, while it was still being spoken: its transcript so far,
  // never finished (no final transcript before the cut-in).
  expect(asked!.answer!.split(/\s+/).length).toBeGreaterThanOrEqual(120);
  const events = await client.events(sessionId, { until: (e) => e.data.type === 'interrupt' });
  expect(events.at(-1)!.data).toMatchObject({ turnId: asked!.id, answer: asked!.answer });
  const heard = events.filter((e) => e.data.type === 'transcript' && e.data.turnId === asked!.id);
  expect(heard.length).toBeGreaterThan(0);
  expect(heard.every((e) => e.data.partial === true)).toBe(true);
  expect(followUp).toMatchObject({
    question: cutIn,
    probeOf: asked!.id,
    cutIn: true,
    panelist: { id: 'cy' },
  });
  // Cy says it in his voice.
  await expect
    .poll(() => tts.find((r) => r.text && cutIn.startsWith(r.text))?.voice, { timeout: 30_000 })
    .toBe(panel.panelists[2]!.voice);

  await client.call('POST', `/api/sessions/${sessionId}/end`);
}, 360_000);
