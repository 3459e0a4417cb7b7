// Spoken answers and spoken questions. An answer's recording is checked (size, content, decodable,
// length, speech) before anything is stored; only then does it go to the blob store and the workflow
// receives its key. A streamed answer arrives in segments while it is spoken: each is stored at once and
// signalled to the workflow (which transcribes it meanwhile); finishing assembles them into the same
// checked WAV recording. Speech for the UI is synthesised sentence by sentence and cached by its text.
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import * as turns from '../../core/stores/turns.js';
import { deleteRecordings, setRecording } from '../../core/stores/recordings.js';
import { audioRejections, audioSegments } from '../../core/metrics.js';
import { recordingKey, segmentDigest, segmentKey } from '../../core/recordings.js';
import {
  AudioRejected,
  checkRecording,
  decodeAudio,
  sniffContainer,
  voiceActivity,
  type AudioContainer,
  type AudioRejection,
} from '../../voice/audio.js';
import type { Pcm16k, SpeechChunk } from '../../voice/types.js';
import { voiceChooser, type VoiceChooser } from '../../voice/tts/voices.js';
import { encodeWav, pcm16, wavHeader } from '../../voice/wav.js';
import { SAMPLE_RATE } from '../../voice/audio.js';
import { concatSamples } from '../../core/audio/samples.js';
import type { PieceLength } from '../../voice/pieces.js';
import { audioSegment, sessionWorkflowId, submitAnswer, type AudioRef } from '../../workflows/messages.js';
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

  /** Runs `check`, turning a refused recording into the domain error the client sees. */
  async function refusing<T>(check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (err) {
      if (!(err instanceof AudioRejected)) throw err;
      audioRejections.inc({ reason: err.reason });
      throw new REFUSAL[err.reason](err.message);
    }
  }

  async function openSession(ownerId: string, sessionId: string) {
    const s = await sessions.row(ownerId, sessionId);
    if (s.status === 'completed') throw conflict('the session has ended');
    return s;
  }

  /**
   * Hands a checked recording to the workflow and keeps it as the turn's recording. `key` unset: a fresh
   * one, deleted again if the workflow refuses the answer. Set (a streamed answer's, derived from its
   * content): finishing twice is one answer (the update's id is the key) and keeps one recording.
   */
  async function submit(
    ownerId: string,
    sessionId: string,
    bytes: Buffer,
    answer: { turnId?: string; key?: string; segments?: AudioRef[] },
  ) {
    const key = answer.key ?? recordingKey(ownerId, sessionId, randomUUID());
    await blobs.put(key, bytes);
    let accepted: { turnId: string };
    try {
      accepted = await sessions.send(sessionId, (h) =>
        h.executeUpdate(submitAnswer, {
          args: [
            {
              audio: { key, bytes: bytes.length },
              ...(answer.segments && { segments: answer.segments }),
              ...(answer.turnId && { turnId: answer.turnId }),
            },
          ],
          ...(answer.key && { updateId: `audio:${answer.key}` }),
        }),
      );
    } catch (err) {
      // Refused (not awaiting an answer, another turn): keep nothing of it.
      if (!answer.key) await blobs.delete(key).catch(() => undefined);
      throw err;
    }
    if (answer.key && (await turns.inSession(db, sessionId, accepted.turnId, ownerId))?.audioKey === key)
      return accepted; // finished again after it was accepted
    // A new answer to the same turn (after "we heard no speech") replaces the earlier recording.
    await deleteRecordings(db, blobs, { turnId: accepted.turnId, ownerId });
    await setRecording(db, accepted.turnId, ownerId, { key, bytes: bytes.length });
    return accepted;
  }

  /** Engines by panelist voice (voice/tts/voices.ts), over the configured one once it is open. */
  let chooser: VoiceChooser | undefined;

  return {
    limits,

    /**
     * Accepts a spoken answer: refused (and nothing stored) unless it is audio we can decode, within the
     * limits and with sound in it; else stored under the owner's key and handed to the workflow by key.
     */
    async answer(ownerId: string, sessionId: string, bytes: Buffer, turnId?: string) {
      await openSession(ownerId, sessionId);
      await refusing(() => checkRecording(bytes, limits));
      return submit(ownerId, sessionId, bytes, { turnId });
    },

    /**
     * Receives segment `index` of the answer to `turnId` while it is being spoken (a 16 kHz mono WAV cut
     * at a pause): stored at once under a key of its own (so sending it again replaces it with the same
     * audio), then signalled to the session, which transcribes it while the candidate goes on. A segment
     * may be silence (the quiet after the last word); it must only be a readable WAV within the limits.
     */
    async segment(ownerId: string, sessionId: string, turnId: string, index: number, bytes: Buffer) {
      await openSession(ownerId, sessionId);
      if (sniffContainer(bytes) !== 'wav')
        throw new Unsupported('a segment is a WAV file (16-bit PCM, the rate of the recording)');
      const { pcm, durationSec } = await refusing(() => decodeAudio(bytes, limits));
      const key = segmentKey(ownerId, sessionId, turnId, index);
      await blobs.put(key, bytes);
      try {
        await deps.temporal.workflow.getHandle(sessionWorkflowId(sessionId)).signal(audioSegment, {
          turnId,
          index,
          audio: { key, bytes: bytes.length, ...pieceLength(pcm, durationSec) },
          digest: segmentDigest(bytes),
        });
      } catch (err) {
        // Ended since the check above: the segment has nowhere to go.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
        await blobs.delete(key).catch(() => undefined);
        throw conflict('the session has ended');
      }
      audioSegments.inc();
      return { turnId, index };
    },

    /**
     * Ends a streamed answer of `count` segments: they are joined into one WAV, checked as an uploaded
     * recording is, and submitted as the answer (its transcript is the segments' transcripts). Segments
     * never received are a 409 naming them: send them again, then finish again.
     */
    async finish(ownerId: string, sessionId: string, turnId: string, count: number) {
      await openSession(ownerId, sessionId);
      const keys = Array.from({ length: count }, (_, i) => segmentKey(ownerId, sessionId, turnId, i));
      const parts = await Promise.all(keys.map(optionalBlob));
      const missing = parts.flatMap((p, i) => (p ? [] : [i]));
      if (missing.length)
        throw conflict(
          `segments ${missing.join(', ')} of this answer were not received; send them again, then finish`,
        );
      const decoded = await refusing(() => Promise.all(parts.map((p) => decodeAudio(p!, limits))));
      const wav = encodeWav(concatSamples(decoded.map((d) => d.pcm.samples)), SAMPLE_RATE);
      await refusing(() => checkRecording(wav, limits));
      return submit(ownerId, sessionId, wav, {
        turnId,
        key: recordingKey(ownerId, sessionId, `${turnId}-answer-${segmentDigest(wav)}`),
        segments: keys.map((key, i) => ({
          key,
          bytes: parts[i]!.length,
          ...pieceLength(decoded[i]!.pcm, decoded[i]!.durationSec),
        })),
      });
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
    async speak(text: string, voice?: string): Promise<Speech> {
      const configured = await deps.tts().catch((err: unknown) => {
        throw unavailable(
          `speech is not available: ${err instanceof Error ? err.message : String(err)}`,
          'speech',
        );
      });
      const engine = (chooser ??= voiceChooser(configured))(voice);
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

/** What the worker groups a segment by (voice/pieces.ts), measured where it is decoded anyway. */
const pieceLength = (pcm: Pcm16k, seconds: number): PieceLength => ({
  seconds,
  voicedSec: voiceActivity(pcm).voicedSec,
});

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
