// Voice in real Chromium (Debian) against the real stack (Temporal, PGlite, the local whisper engine, the
// piper voice, the offline coach), with a fake microphone that plays an espeak-ng recording: a hands-free
// session is answered by voice end to end; a blocked microphone switches the session to typing; the
// voice screens pass an axe scan.
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { splitSentences } from '../../core/text/index.js';
import { voiceActivity, decodeRecording } from '../../voice/audio.js';
import { ANSWER, apiClient, createReadyJob } from '../support/client.js';
import { fakeMicAnswer, HEARD_WHOLE_ANSWER } from '../support/speech.js';
import { fakeMicrophone, startBrowserStack, type BrowserStack } from '../support/browser.js';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

let ui: BrowserStack;
let page: Page;
let client: ReturnType<typeof apiClient>;
let jobId: string;

beforeAll(async () => {
  ui = await startBrowserStack(
    { OFFLINE_TOKEN_DELAY_MS: '15' },
    { reducedMotion: 'reduce' },
    fakeMicrophone(await fakeMicAnswer()),
  );
  page = ui.page;
  client = apiClient(ui.stack.baseUrl);
  jobId = await createReadyJob(client);
});

afterAll(() => ui?.close());

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail')
    await ui?.shot(`voice-failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`);
});

async function seriousViolations(p: Page): Promise<string[]> {
  await p.addScriptTag({ path: AXE });
  const violations = await p.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown }> } }
    ).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: unknown[] }[];
    }[];
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} [${v.impact}] ${v.help} — ${JSON.stringify(v.nodes[0]?.target)}`);
}

const status = (p: Page) => p.getByTestId('session-status').getAttribute('data-status');

it('runs a hands-free voice session: the question is spoken as it streams, the answer is recorded, transcribed and critiqued with speech metrics', async () => {
  const tts: { text: string; at: number }[] = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/tts') tts.push({ text: url.searchParams.get('text') ?? '', at: Date.now() });
  });
  // When the session status changes on screen (to tell "while the question streams" from "after").
  const statuses: { status: string; at: number }[] = [];
  await page.exposeFunction('statusChanged', (status: string) => statuses.push({ status, at: Date.now() }));

  await page.goto(`${ui.stack.baseUrl}/jobs/${jobId}`);
  await page.getByTestId('rounds-input').fill('1');
  expect(await page.getByTestId('hands-free').isDisabled()).toBe(true);
  await page.getByTestId('mode-voice').check();
  await page.getByTestId('hands-free').check();
  await page.getByTestId('start-session').click();
  await page.waitForURL(/\/sessions\/[0-9a-f-]{36}$/);
  const sessionId = page.url().split('/').at(-1)!;
  await page.evaluate(() => {
    const report = (window as unknown as { statusChanged: (s: string) => void }).statusChanged;
    let last = '';
    new MutationObserver(() => {
      const s = document.querySelector('[data-testid="session-status"]')?.getAttribute('data-status') ?? '';
      if (s !== last) report((last = s));
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  // From here on nothing is clicked or typed: the session runs by itself.
  await page.getByTestId('voice-recorder').waitFor();
  expect(await page.getByTestId('hands-free-badge').isVisible()).toBe(true);

  // The first sentence is requested while the question is still streaming in.
  await expect
    .poll(() => statuses.find((s) => s.status === 'awaiting_answer'), { timeout: 30_000 })
    .toBeTruthy();
  const asked = statuses.find((s) => s.status === 'awaiting_answer')!.at;
  const question = (await page.getByTestId('coach-question').textContent())!.trim();
  expect(tts.length).toBeGreaterThan(0);
  expect(tts[0]!.at, 'the first sentence was fetched before the question was complete').toBeLessThan(asked);
  const questionSentences = tts.filter((r) => question.includes(r.text)).map((r) => r.text);
  expect(questionSentences.length).toBeGreaterThan(0);
  // Each request is one sentence of the question (the spoken questions are often a single one), in order.
  expect(questionSentences).toEqual(splitSentences(question));
  let at = 0;
  for (const s of questionSentences) {
    const i = question.indexOf(s, at);
    expect(i).toBeGreaterThanOrEqual(at);
    at = i + s.length;
  }

  // Recording starts by itself (after the question, or when the candidate talks over it) and the
  // silence after the answer ends it.
  await expect
    .poll(() => page.getByTestId('voice-recorder').getAttribute('data-phase'), { timeout: 60_000 })
    .toBe('recording');
  await expect
    .poll(() => page.getByTestId('mic-level').evaluate((m) => (m as HTMLMeterElement).value), {
      timeout: 10_000,
    })
    .toBeGreaterThan(0.3);
  expect(await page.getByTestId('elapsed').textContent()).toMatch(/^\d+:\d\d$/);
  await ui.shot('voice-1-recording');

  // The transcript appears as the candidate's answer (growing with the live transcript: the whole answer
  // is waited for).
  const answerBubble = page.locator('.bubble.user');
  await expect
    .poll(() => answerBubble.first().textContent(), { timeout: 90_000 })
    .toMatch(HEARD_WHOLE_ANSWER);
  const snapshot = await client.call<{ turns: { id: string; answer?: string }[] }>(
    'GET',
    `/api/sessions/${sessionId}`,
  );
  const turn = snapshot.json.turns.find((t) => t.answer)!;
  expect(turn.answer).toMatch(HEARD_WHOLE_ANSWER);

  // What was uploaded is the microphone's audio: decoded, it holds seconds of speech-level sound.
  const rec = await fetch(`${ui.stack.baseUrl}/api/sessions/${sessionId}/turns/${turn.id}/audio`);
  expect(rec.status).toBe(200);
  const activity = voiceActivity(await decodeRecording(Buffer.from(await rec.arrayBuffer())));
  expect(activity.voicedSec).toBeGreaterThan(3);
  expect(activity.loudestDb).toBeGreaterThan(-30);

  // Feedback with the speech metrics beside the scores, the transcript with its words.
  await page.getByTestId('feedback-panel').waitFor({ timeout: 120_000 });
  const speech = page.getByTestId('speech-feedback');
  await speech.waitFor();
  const wpm = Number((await page.getByTestId('speech-wpm').locator('strong').textContent())!.trim());
  expect(wpm).toBeGreaterThan(60);
  expect(wpm).toBeLessThan(260);
  expect(await page.getByTestId('speech-wpm').textContent()).toMatch(/130–160/);
  expect(await page.getByTestId('speech-duration').textContent()).toMatch(/0:0[5-9]|0:1\d/);
  expect(await page.getByTestId('speech-fillers').textContent()).toMatch(/per minute/);
  expect(await page.getByTestId('speech-pauses').textContent()).toBeTruthy();
  expect(await page.getByTestId('speech-transcript').textContent()).toMatch(HEARD_WHOLE_ANSWER);

  // The critique is spoken too, sentence by sentence.
  await expect
    .poll(
      async () => {
        const critique =
          (await page
            .locator('.critique')
            .first()
            .textContent()
            .catch(() => '')) ?? '';
        return tts.some((r) => r.text.length > 3 && critique.includes(r.text) && !question.includes(r.text));
      },
      { timeout: 30_000 },
    )
    .toBe(true);

  // One round, hands-free: the session finishes by itself.
  await expect.poll(() => status(page), { timeout: 60_000 }).toBe('completed');
  await ui.shot('voice-2-feedback');

  // Accessibility of the voice screens, light and dark, and at phone width.
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page), `completed voice session (${colorScheme})`).toEqual([]);
  }
}, 240_000);

it('answering a voice session screen is accessible while recording, at phone width', async () => {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  // The coach stays silent here (its voice fails to load), so nothing starts recording by barge-in
  // and the screen waits for the candidate.
  await page.route('**/api/tts*', (route) => route.abort());
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${ui.stack.baseUrl}/sessions/${created.json.id}`);
  await expect.poll(() => status(page), { timeout: 30_000 }).toBe('awaiting_answer');
  await page.getByTestId('record-button').waitFor();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    expect(await seriousViolations(page), `voice session awaiting an answer (${colorScheme})`).toEqual([]);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // Space starts recording (not hands-free: nothing starts by itself).
  expect(await page.getByTestId('voice-recorder').getAttribute('data-phase')).toBe('idle');
  await page.locator('body').press('Space');
  await expect.poll(() => page.getByTestId('voice-recorder').getAttribute('data-phase')).toBe('recording');
  expect(await seriousViolations(page), 'voice session while recording').toEqual([]);
  await ui.shot('voice-3-phone-recording');
  await page.getByTestId('cancel-recording').click();
  await expect.poll(() => page.getByTestId('voice-recorder').getAttribute('data-phase')).toBe('idle');

  // The silence that ends an answer is a setting this browser remembers.
  await page.getByText('Voice settings').click();
  await page.getByTestId('silence-input').fill('3500');
  await page.reload();
  await page.getByTestId('record-button').waitFor();
  expect(await page.getByTestId('silence-input').inputValue()).toBe('3500');
  // The hint first says the microphone is being asked for, then how an answer ends.
  await expect
    .poll(() => page.locator('#record-hint').textContent(), { timeout: 15_000 })
    .toMatch(/3\.5 s of silence/);
  await page.evaluate(() => localStorage.removeItem('voice.silenceMs'));
  await page.unroute('**/api/tts*');
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
});

it('with the microphone blocked, says so and switches the session to typing in one click, losing nothing', async () => {
  const created = await client.call<{ id: string }>('POST', '/api/sessions', {
    jobId,
    module: 'behavioral',
    mode: 'voice',
    rounds: 1,
  });
  expect(created.status).toBe(201);
  // A second browser whose permission prompts are all refused.
  const denied = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-device-for-media-stream',
      '--deny-permission-prompts',
    ],
  });
  try {
    const p = await denied.newPage();
    await p.goto(`${ui.stack.baseUrl}/sessions/${created.json.id}`);
    const error = p.getByTestId('mic-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.getAttribute('data-problem')).toBe('denied');
    expect(await error.textContent()).toMatch(/blocked/i);
    expect(await p.getByTestId('record-button').count()).toBe(0);
    await expect.poll(() => status(p), { timeout: 30_000 }).toBe('awaiting_answer');
    const question = (await p.getByTestId('coach-question').textContent())!;

    await p.getByTestId('switch-to-text').click();
    const input = p.getByTestId('answer-input');
    await input.waitFor();
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await p.getByTestId('typing-mode').isVisible()).toBe(true);
    // The same question is still open.
    expect(await p.getByTestId('coach-question').textContent()).toBe(question);
    await input.fill(ANSWER);
    await p.getByTestId('answer-submit').click();
    await p.getByTestId('feedback-panel').waitFor({ timeout: 30_000 });
    await expect.poll(() => status(p), { timeout: 30_000 }).toBe('reviewing');
    // A typed answer has no speech metrics.
    expect(await p.getByTestId('speech-feedback').count()).toBe(0);
    expect(await seriousViolations(p), 'voice session switched to typing').toEqual([]);
    await p.screenshot({
      path: path.join(process.cwd(), 'test-artifacts', 'voice-4-mic-denied.png'),
      fullPage: true,
    });
  } finally {
    await denied.close();
  }
});
