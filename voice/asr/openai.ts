// Any OpenAI-compatible transcription endpoint (OpenAI, a whisper.cpp or faster-whisper server, vLLM):
// POST {baseUrl}/audio/transcriptions, multipart, the answer as a 16 kHz WAV. verbose_json with word
// timestamps is asked for; servers that ignore it still give the text, and the words stay empty.
import { encodeWav } from '../wav.js';
import type { AsrEngine, Pcm16k, TimedWord, Transcript } from '../types.js';

export interface OpenAiAsrOptions {
  /** Ends in /v1, as for the OpenAI SDK (e.g. https://api.openai.com/v1). */
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Per request; Temporal retries the activity, so the client does not retry on its own. */
  timeoutMs?: number;
}

interface VerboseJson {
  text?: unknown;
  words?: { word?: unknown; start?: unknown; end?: unknown }[];
}

function timedWords(body: VerboseJson): TimedWord[] {
  if (!Array.isArray(body.words)) return [];
  return body.words.flatMap((w) =>
    typeof w.word === 'string' && typeof w.start === 'number' && typeof w.end === 'number' && w.word.trim()
      ? [{ word: w.word.trim(), start: w.start, end: w.end }]
      : [],
  );
}

export function createOpenAiAsr({
  baseUrl,
  apiKey,
  model,
  timeoutMs = 120_000,
}: OpenAiAsrOptions): AsrEngine {
  const url = `${baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
  const name = `${model} (${new URL(url).host})`;

  async function transcribe(audio: Pcm16k): Promise<Transcript> {
    const durationSec = audio.samples.length / audio.sampleRate;
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(encodeWav(audio.samples, audio.sampleRate))], { type: 'audio/wav' }),
      'answer.wav',
    );
    form.append('model', model);
    form.append('language', 'en');
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'word');
    form.append('timestamp_granularities[]', 'segment');
    const res = await fetch(url, {
      method: 'POST',
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      body: form,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const raw = await res.text();
    if (!res.ok)
      throw new Error(`transcription endpoint ${url} answered ${res.status}: ${raw.slice(0, 300)}`);
    let body: VerboseJson;
    try {
      body = JSON.parse(raw) as VerboseJson;
    } catch {
      // response_format=text servers, or ones that ignore the format
      body = { text: raw };
    }
    if (typeof body.text !== 'string')
      throw new Error(`transcription endpoint ${url} gave no text: ${raw.slice(0, 300)}`);
    return {
      text: body.text.replace(/\s+/g, ' ').trim(),
      words: timedWords(body),
      durationSec,
      engine: name,
    };
  }

  return {
    name,
    transcribe,
    async close() {},
  };
}
