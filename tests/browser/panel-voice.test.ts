// A mock panel in voice, in real Chromium (Debian) with a fake microphone that plays an espeak-ng answer,
// against the real stack (whisper, the TTS engines, the offline coach): nothing is clicked after the start.
// Each question is said in its panelist's voice, each hand-over in the previous panelist's, every answer is
// recorded and transcribed by itself, and the interview ends in the panel's debrief.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { splitSentences } from '../../core/text/index.js';
import { apiClient, createReadyJob } from '../support/client.js';
import { smallPanel } from '../support/panel.js';
import { fakeMicAnswer } from '../support/speech.js';
import { fakeMicrophone, startBrowserStack, type BrowserStack, spokenSentences } from '../support/browser.js';
import type { Session } from '../../contract/index.js';

let ui: BrowserStack;
let page: Page;
let client: ReturnType<typeof apiClient>;
let jobId: string;
const panel = smallPanel();

beforeAll(async () => {
  ui = await startBrowserStack(
    { OFFLINE_TOKEN_DELAY_MS: '5' },
    { reducedMotion: 'reduce' },
    fakeMicrophone(await fakeMicAnswer()),
  );
  page = ui.page;
  client = apiClient(ui.stack.baseUrl);
  jobId = await createReadyJob(client);
  expect((await client.call('POST', '/api/panel-templates', panel)).status).toBe(201);
}, 120_000);

afterAll(() => ui?.close());

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await ui?.shot('panel-voice-failed');
});

it('runs a panel by voice, hands-free: each panelist speaks in their own voice and every answer is heard', async () => {
  const tts = spokenSentences(page);
  await page.goto(`${ui.stack.baseUrl}/jobs/${jobId}`);
  await page.getByTestId('panel-select').selectOption('three-of-us');
  await page.getByTestId('mode-voice').check();
  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const sessionId = page.url().split('/').at(-1)!;
  await page.getByTestId('voice-recorder').waitFor();

  await expect
    .poll(() => page.getByTestId('session-status').getAttribute('data-status'), { timeout: 280_000 })
    .toBe('completed');
  await page.getByTestId('panel-debrief').waitFor({ timeout: 30_000 });
  await ui.shot('panel-voice-debrief');

  const session = (await client.call<Session>('GET', `/api/sessions/${sessionId}`)).json;
  expect(session.turns.length).toBeGreaterThanOrEqual(3);
  // Every answer was spoken and heard: the transcripts hold the recording's words.
  for (const t of session.turns) expect(t.answer).toMatch(/latency|migration|billing/i);
  // What each panelist says, sentence by sentence, in whose voice: the hand-over in the previous speaker's,
  // the question in the asker's. The fake microphone talks over them (it plays from the start), so a
  // panelist may be cut off after the first sentences: every sentence requested is checked, and the first of
  // each hand-over and question must have been.
  // A short sentence ("Good.") may open the hand-overs of two panelists: either voice is right for it.
  // The voices as this server speaks them, decided when the session started (espeak-ng voices of a saved
  // template become Piper variants where espeak-ng is missing): three, all different.
  const voiceOf = Object.fromEntries(session.panel!.template.panelists.map((p) => [p.id, p.voice]));
  expect(new Set(Object.values(voiceOf)).size).toBe(3);
  const expected = new Map<string, Set<string>>();
  const allow = (sentence: string, voice: string) =>
    expected.set(sentence, (expected.get(sentence) ?? new Set()).add(voice));
  session.turns.forEach((t, i) => {
    for (const sentence of splitSentences(t.question)) allow(sentence, voiceOf[t.panelist!.id]!);
    if (t.handOver)
      for (const sentence of splitSentences(t.handOver))
        allow(sentence, voiceOf[session.turns[i - 1]!.panelist!.id]!);
  });
  for (const r of tts) expect([...(expected.get(r.text) ?? [])], r.text).toContain(r.voice);
  for (const t of session.turns) {
    expect(tts.map((r) => r.text)).toContain(splitSentences(t.question)[0]);
    if (t.handOver) expect(tts.map((r) => r.text)).toContain(splitSentences(t.handOver)[0]);
  }
  expect(new Set(tts.map((r) => r.voice)).size).toBe(3);
  // The panel does not critique out loud: nothing but hand-overs and questions was said (checked above).
}, 360_000);
