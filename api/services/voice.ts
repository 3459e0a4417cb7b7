// Spoken answers and spoken questions. An answer's recording is checked (size, content, decodable,
// length, speech) before anything is stored; only then does it go to the blob store and the workflow
// receives its key. Speech for the UI is synthesised sentence by sentence and cached by its text.
import { createHash, randomUUID } from 'node:crypto';
import * as turns from '../../core/stores/turns.js';
import { deleteRecordings, setRecording } from '../../core/stores/recordings.js';
import { audioRejections } from '../../core/metrics.js';
import { recordingKey } from '../../core/recordings.js';
import {
  AudioRejected,
  checkRecording,
  sniffContainer,
  type AudioContainer,
  type AudioRejection,
} from '../../voice/audio.js';
import type { SpeechChunk } from '../../voice/types.js';
import { pcm16, wavHeader } from '../../voice/wav.js';
import { submitAnswer } from '../../workflows/messages.js';
import { TooLarge, Unprocessable, Unsupported, type DomainError } from '../../core/errors.js';
import { badRequest, conflict, notFound, unavailable } from '../errors.js';
import type { ApiDeps } from '../context.js';
import { createSessionService } from './sessions.js';

/**
 * How each refusal of a recording reaches the client. 415: the bytes are not audio we can play. 422: they
 * are audio but carry no answer (broken, empty, only silence). 413: too big, in bytes or in seconds
 * (the client's fix is the same either way: a shorter answer).
 */
/** Why a recording was refused, as the domain error it is. */
const REFUSAL: Record<AudioRejection, new (message: string) => DomainError> = {
  empty: Unprocessable,
  silence: Unprocessable,
  corrupt: Unprocessable,
  not_audio: Unsupported,
  unsupported_codec: Unsupported,
  too_long: TooLarge,
};

export interface Speech {
  cache: 'hit' | 'miss';
  contentType: string;
  /** The audio as it is ready: a WAV header first, then each sentence's samples (or the engine's file). */
  body: AsyncIterable<Buffer>;
}

export function createVoiceService(deps: ApiDeps) {
  const { db, blobs, config } = deps;
  const sessions = createSessionService(deps);
  const limits = { maxBytes: config.AUDIO_MAX_BYTES, maxSeconds: config.AUDIO_MAX_SECONDS };

  async function turnOf(ownerId: string, sessionId: string, turnId: string) {
    await sessions.row(ownerId, sessionId);
    const turn = await turns.inSession(db, sessionId, turnId, ownerId);
    if (!turn) throw notFound(`turn ${turnId} of session ${sessionId}`);
    return turn;
  }

  async function optionalBlob(key: string): Promise<Buffer | undefined> {
    try {
      return await blobs.get(key);
    } catch {
      return undefined;
    }
  }

  return {
    limits,

    /**
     * Accepts a spoken answer: refused (and nothing stored) unless it is audio we can decode, within the
     * limits and with sound in it; else stored under the owner's key and handed to the workflow by key.
     */
    async answer(ownerId: string, sessionId: string, bytes: Buffer, turnId?: string) {
      const s = await sessions.row(ownerId, sessionId);
      if (s.status === 'completed') throw conflict('the session has ended');
      try {
        await checkRecording(bytes, limits);
      } catch (err) {
        if (!(err instanceof AudioRejected)) throw err;
        audioRejections.inc({ reason: err.reason });
        throw new REFUSAL[err.reason](err.message);
      }
      const key = recordingKey(ownerId, sessionId, randomUUID());
      await blobs.put(key, bytes);
      let accepted: { turnId: string };
      try {
        accepted = await sessions.send(sessionId, (h) =>
          h.executeUpdate(submitAnswer, {
            args: [{ audio: { key, bytes: bytes.length }, ...(turnId && { turnId }) }],
          }),
        );
      } catch (err) {
        // Refused (not awaiting an answer, another turn): keep nothing of it.
        await blobs.delete(key).catch(() => undefined);
        throw err;
      }
      // A new answer to the same turn (after "we heard no speech") replaces the earlier recording.
      await deleteRecordings(db, blobs, { turnId: accepted.turnId, ownerId });
      await setRecording(db, accepted.turnId, ownerId, { key, bytes: bytes.length });
      return accepted;
    },

    /** The owner's recording of a turn's answer. */
    async recording(ownerId: string, sessionId: string, turnId: string) {
      const turn = await turnOf(ownerId, sessionId, turnId);
      const bytes = turn.audioKey ? await optionalBlob(turn.audioKey) : undefined;
      if (!bytes)
        throw notFound(
          `a recording of turn ${turnId} (it was typed, or deleted${
            config.AUDIO_RETENTION_DAYS > 0
              ? `, or older than the ${config.AUDIO_RETENTION_DAYS}-day retention`
              : ''
          })`,
        );
      return { bytes, contentType: contentTypeOf(bytes) };
    },

    /** Deletes the recording of a turn's answer; its transcript and feedback stay. */
    async deleteRecording(ownerId: string, sessionId: string, turnId: string) {
      await turnOf(ownerId, sessionId, turnId);
      await deleteRecordings(db, blobs, { turnId, sessionId, ownerId });
    },

    /**
     * The text spoken: from the cache when this engine said this text before, else synthesised sentence by
     * sentence as it streams out, then cached (only when it ran to the end).
     */
    async speak(text: string): Promise<Speech> {
      const engine = await deps.tts().catch((err: unknown) => {
        throw unavailable(
          `speech is not available: ${err instanceof Error ? err.message : String(err)}`,
          'speech',
        );
      });
      const key = `tts/${createHash('sha256').update(`${engine.name}\n${config.TTS_VOICE}\n${text}`).digest('hex')}`;
      // The content type is written after the audio, so its presence means the audio is whole.
      const [type, cached] = await Promise.all([optionalBlob(`${key}-type`), optionalBlob(key)]);
      if (type && cached) {
        return { cache: 'hit', contentType: type.toString('utf8'), body: once(cached) };
      }
      const speech = engine.synthesize(text)[Symbol.asyncIterator]();
      const first = await speech.next();
      if (first.done) throw badRequest('the text has nothing to speak');
      const contentType = first.value.kind === 'pcm' ? 'audio/wav' : first.value.contentType;
      async function* body(): AsyncGenerator<Buffer> {
        const parts: Buffer[] = [];
        let done = false;
        let sampleRate: number | undefined;
        try {
          let chunk: SpeechChunk = first.value as SpeechChunk;
          for (;;) {
            if (chunk.kind === 'pcm') {
              if (sampleRate === undefined) {
                sampleRate = chunk.sampleRate;
                yield wavHeader(sampleRate);
              } else if (chunk.sampleRate !== sampleRate) {
                throw new Error(
                  `speech changed sample rate mid-stream (${sampleRate} -> ${chunk.sampleRate})`,
                );
              }
              const pcm = pcm16(chunk.samples);
              parts.push(pcm);
              if (pcm.length) yield pcm;
            } else {
              parts.push(chunk.bytes);
              yield chunk.bytes;
            }
            const next = await speech.next();
            if (next.done) break;
            chunk = next.value;
          }
          done = true;
        } finally {
          if (!done) await speech.return?.();
        }
        const data = Buffer.concat(parts);
        // Cached as a complete file (a WAV with its real length), so a replay is an ordinary download.
        await blobs.put(
          key,
          sampleRate === undefined ? data : Buffer.concat([wavHeader(sampleRate, data.length), data]),
        );
        await blobs.put(`${key}-type`, Buffer.from(contentType));
      }
      return { cache: 'miss', contentType, body: body() };
    },
  };
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

const MEDIA_TYPES: Record<AudioContainer, string> = {
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  webm: 'audio/webm',
  mp4: 'audio/mp4',
  mp3: 'audio/mpeg',
};

/** What the browser recorded: the container's media type, from its first bytes (checked on upload). */
function contentTypeOf(bytes: Buffer): string {
  const container = sniffContainer(bytes);
  return container ? MEDIA_TYPES[container] : 'application/octet-stream';
}
