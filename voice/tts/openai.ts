// Any OpenAI-compatible speech endpoint (OpenAI, a vLLM/Kokoro/Piper server, LocalAI...):
// POST {TTS_BASE_URL}/audio/speech. The encoded reply is passed through as it arrives, so the first bytes
// reach the listener while the server is still speaking.
import { speakableSentences } from '../../core/text/index.js';
import type { SpeechChunk, TtsEngine } from '../types.js';

export interface OpenAiTtsOptions {
  /** Base URL ending in /v1, as for the OpenAI SDKs. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  voice: string;
  /** How long to wait for the reply's headers. */
  timeoutMs?: number;
}

/** OpenAI's limit on `input`; longer text is sent as several requests split at sentence ends. */
export const MAX_INPUT_CHARS = 4096;

/** Sentences packed into as few requests as the input limit allows. */
function requests(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const sentence of speakableSentences(text)) {
    if (current && current.length + 1 + sentence.length > MAX_INPUT_CHARS) {
      out.push(current);
      current = sentence;
    } else current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) out.push(current);
  return out;
}

export function createOpenAiTts(options: OpenAiTtsOptions): TtsEngine {
  let url: URL;
  try {
    url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/audio/speech`);
  } catch {
    throw new Error(
      `TTS_BASE_URL "${options.baseUrl}" is not a URL (expected e.g. https://api.openai.com/v1)`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function* speak(input: string): AsyncGenerator<SpeechChunk> {
    const headersArrived = new AbortController();
    const timer = setTimeout(() => headersArrived.abort(), timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: options.model, voice: options.voice, input, response_format: 'mp3' }),
        signal: headersArrived.signal,
      });
    } catch (err) {
      throw new Error(
        headersArrived.signal.aborted
          ? `speech endpoint ${url} did not answer within ${timeoutMs} ms`
          : `speech endpoint ${url} is unreachable: ${(err as Error).message}`,
      );
    } finally {
      clearTimeout(timer);
    }
    const contentType = res.headers.get('content-type') ?? 'audio/mpeg';
    if (!res.ok || !res.body || /json|text/.test(contentType)) {
      const detail = (await res.text().catch(() => '')).slice(0, 300);
      throw new Error(`speech endpoint ${url} answered ${res.status} ${contentType}: ${detail}`);
    }
    // Leaving this loop early (the listener went away) cancels the response body.
    for await (const part of res.body as unknown as AsyncIterable<Uint8Array>) {
      yield { kind: 'encoded', bytes: Buffer.from(part), contentType };
    }
  }

  return {
    name: `${options.model} ${options.voice} (${url.host})`,
    async *synthesize(text: string): AsyncGenerator<SpeechChunk> {
      for (const input of requests(text)) yield* speak(input);
    },
    async close() {},
  };
}
