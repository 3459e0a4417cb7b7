// Voice activities: turn a spoken answer (a blob key) into text, or give the question back to the
// candidate when nothing usable was heard. The workflow never sees audio bytes, only keys.
import { performance } from 'node:perf_hooks';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BlobStore } from '../../core/blobs.js';
import type { Db } from '../../core/db/client.js';
import * as sessions from '../../core/stores/sessions.js';
import * as turns from '../../core/stores/turns.js';
import type { EventLog } from '../../core/events.js';
import { asrDuration, asrRealTimeFactor, audioRejections, transcriptionsFailed } from '../../core/metrics.js';
import { recordingIdOf, transcriptKeyOf } from '../../core/recordings.js';
import type { Module, SpeechMetrics } from '../../core/types.js';
import type { AsrEngine, Pcm16k, Transcript } from '../../voice/types.js';
import { speechMetrics } from '../../voice/speech-metrics.js';
import type { AudioRef } from '../messages.js';
import { EventSink } from './sink.js';

export interface VoiceActivityDeps {
  db: Db;
  events: EventLog;
  blobs: BlobStore;
  /** The recogniser, opened once on first use (a text-only worker never loads a model). */
  asr: () => Promise<AsrEngine>;
  /** A recording's bytes to what the recogniser takes (ffmpeg). */
  decode: (bytes: Buffer) => Promise<Pcm16k>;
}

interface SessionRef {
  sessionId: string;
  ownerId: string;
  jobId: string;
  module: Module;
}

export type UnheardProblem = 'no_speech' | 'failed';

const MESSAGES: Record<UnheardProblem, string> = {
  no_speech:
    'We heard no speech in your recording. Please answer again (closer to the microphone), or type your answer.',
  failed: 'Your recording could not be transcribed. Please answer again, or type your answer.',
};

export function createVoiceActivities({ db, events, blobs, asr, decode }: VoiceActivityDeps) {
  const setStatus = (ref: SessionRef, status: 'coaching' | 'awaiting_answer', round: number) =>
    sessions.setStatus(db, ref, status, round);

  async function storedTranscript(key: string): Promise<Transcript | undefined> {
    try {
      return JSON.parse((await blobs.get(key)).toString('utf8')) as Transcript;
    } catch {
      return undefined;
    }
  }

  async function recording(key: string): Promise<Buffer> {
    try {
      return await blobs.get(key);
    } catch (err) {
      // Deleted by its owner (or the retention sweep) before it was transcribed: retrying cannot help.
      const e = err as { code?: string; name?: string };
      if (e.code === 'ENOENT' || e.name === 'NoSuchKey')
        throw ApplicationFailure.nonRetryable('the recording was deleted before it was transcribed');
      throw err;
    }
  }

  /** Recognises the recording, heartbeating meanwhile (a long answer takes seconds to transcribe). */
  async function recognise(key: string): Promise<Transcript> {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 2000);
    try {
      const started = performance.now();
      const pcm = await decode(await recording(key));
      const engine = await asr();
      const transcript = await engine.transcribe(pcm);
      const seconds = (performance.now() - started) / 1000;
      asrDuration.observe({ engine: engine.name }, seconds);
      if (transcript.durationSec > 0)
        asrRealTimeFactor.observe({ engine: engine.name }, seconds / transcript.durationSec);
      return transcript;
    } finally {
      clearInterval(beat);
    }
  }

  return {
    /**
     * Transcribes a spoken answer and announces it (`transcript` event). Idempotent: the engine's
     * transcript is stored beside the recording and reused by a retried attempt, and the events' keys
     * derive from the recording, so a retry re-appends nothing. Returns empty text when no words were heard.
     */
    async transcribeAnswer(
      input: SessionRef & { turnId: string; round: number; audio: AudioRef },
    ): Promise<{ text: string; speech?: SpeechMetrics }> {
      const storedKey = transcriptKeyOf(input.audio.key);
      let transcript = await storedTranscript(storedKey);
      if (!transcript) {
        try {
          transcript = await recognise(input.audio.key);
        } catch (err) {
          transcriptionsFailed.inc();
          throw err;
        }
        await blobs.put(storedKey, Buffer.from(JSON.stringify(transcript)));
      }
      const text = transcript.text.replace(/\s+/g, ' ').trim();
      await setStatus(input, 'coaching', input.round);
      const sink = new EventSink(
        events,
        input.sessionId,
        `${input.turnId}:transcript:${recordingIdOf(input.audio.key)}`,
      );
      sink.emit({ type: 'state', status: 'coaching', round: input.round });
      if (text) {
        await turns.setAnswer(db, input.turnId, text, input.ownerId);
        sink.emit({ type: 'transcript', turnId: input.turnId, text });
      }
      await sink.close();
      return text ? { text, speech: speechMetrics({ ...transcript, text }) } : { text: '' };
    },

    /** Gives the question back to the candidate after a recording yielded no usable text, and says why. */
    async reopenAnswer(
      input: SessionRef & { turnId: string; round: number; audioKey: string; problem: UnheardProblem },
    ): Promise<void> {
      if (input.problem === 'no_speech' && Context.current().info.attempt === 1)
        audioRejections.inc({ reason: 'no_speech' });
      await setStatus(input, 'awaiting_answer', input.round);
      const sink = new EventSink(
        events,
        input.sessionId,
        `${input.turnId}:reopen:${recordingIdOf(input.audioKey)}`,
      );
      sink.emit({ type: 'error', message: MESSAGES[input.problem], retryable: true });
      sink.emit({ type: 'state', status: 'awaiting_answer', round: input.round });
      await sink.close();
    },
  };
}
