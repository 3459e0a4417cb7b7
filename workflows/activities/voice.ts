// Voice activities: turn a spoken answer (a blob key) into text, or give the question back to the
// candidate when nothing usable was heard. The workflow never sees audio bytes, only keys. A streamed
// answer arrives in segments cut at pauses; each is transcribed while the candidate goes on speaking
// (a `partial` transcript; a short one together with the next, voice/pieces.ts), and the final transcript
// is those transcripts joined.
import { performance } from 'node:perf_hooks';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { BlobStore } from '../../core/blobs.js';
import type { Db } from '../../core/db/client.js';
import * as sessions from '../../core/stores/sessions.js';
import * as turns from '../../core/stores/turns.js';
import type { EventLog } from '../../core/events.js';
import { asrDuration, asrRealTimeFactor, audioRejections, transcriptionsFailed } from '../../core/metrics.js';
import {
  recordingIdOf,
  segmentDigest,
  segmentTranscriptKey,
  transcriptKeyOf,
} from '../../core/recordings.js';
import type { Module, SpeechMetrics } from '../../core/types.js';
import type { AsrEngine, Pcm16k, Transcript } from '../../voice/types.js';
import { speechMetrics } from '../../voice/speech-metrics.js';
import { voiceActivity } from '../../voice/audio.js';
import { concatSamples } from '../../core/audio/samples.js';
import { finalGroups, SILENT_PIECE_VOICED_SEC } from '../../voice/pieces.js';
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

  /**
   * Recognises the recording (one, or consecutive pieces of one), heartbeating meanwhile (a long answer
   * takes seconds to transcribe). With `skipSilence` (segments cut at a pause: often only the quiet after
   * the last word), audio without speech-level sound is not sent to the engine, which would rather invent
   * a word than return none.
   */
  async function recognise(recordings: Buffer[], { skipSilence = false } = {}): Promise<Transcript> {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), 2000);
    try {
      const started = performance.now();
      const decoded = await Promise.all(recordings.map(decode));
      const pcm: Pcm16k =
        decoded.length === 1
          ? decoded[0]!
          : { samples: concatSamples(decoded.map((d) => d.samples)), sampleRate: 16000 };
      const durationSec = pcm.samples.length / pcm.sampleRate;
      if (skipSilence && voiceActivity(pcm).voicedSec < SILENT_PIECE_VOICED_SEC)
        return { text: '', words: [], durationSec, engine: 'silence' };
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

  /**
   * The transcript of a group of consecutive segments (voice/pieces.ts), kept beside its first once made.
   * Kept under the segments' content hashes, not only the key: the same index is sent again with other
   * audio when the candidate answers the turn once more.
   */
  async function keptGroupTranscript(
    group: AudioRef[],
  ): Promise<{ transcript?: Transcript; cacheKey: string; bytes: Buffer[] }> {
    const bytes = await Promise.all(group.map((g) => recording(g.key)));
    const cacheKey = segmentTranscriptKey(group[0]!.key, bytes.map(segmentDigest).join('-'));
    return { transcript: await storedTranscript(cacheKey), cacheKey, bytes };
  }

  /** A group's transcript: the kept one, or made now and kept (`kept`: the group's bytes, already read). */
  async function groupTranscript(
    group: AudioRef[],
    kept?: Awaited<ReturnType<typeof keptGroupTranscript>>,
  ): Promise<{ transcript: Transcript; cacheKey: string }> {
    kept ??= await keptGroupTranscript(group);
    if (kept.transcript) return { transcript: kept.transcript, cacheKey: kept.cacheKey };
    const transcript = await recognise(kept.bytes, { skipSilence: true });
    await blobs.put(kept.cacheKey, Buffer.from(JSON.stringify(transcript)));
    return { transcript, cacheKey: kept.cacheKey };
  }

  /**
   * The whole answer's transcript: for a streamed answer its final groups' (voice/pieces.ts finalGroups,
   * each heard while it was spoken), joined; `made` lists the blobs it came from, which the caller deletes
   * once it is kept. A group not heard as one (the machine fell behind the speaker) is read from its live
   * groups' transcripts where those are all made: the end of speech waits for no more than that.
   */
  async function answerTranscript(
    audio: AudioRef,
    segments: AudioRef[] | undefined,
  ): Promise<{ transcript: Transcript; made: string[] }> {
    if (!segments?.length) return { transcript: await recognise([await recording(audio.key)]), made: [] };
    const parts: Transcript[] = [];
    const made: string[] = segments.map((s) => s.key);
    const refs = (pieces: number[]) => pieces.map((i) => segments[i]!);
    for (const group of finalGroups(segments, { final: true })) {
      const kept = await keptGroupTranscript(refs(group.pieces));
      if (!kept.transcript && group.live.length > 1) {
        const live = await Promise.all(group.live.map((pieces) => keptGroupTranscript(refs(pieces))));
        if (live.every((l) => l.transcript)) {
          parts.push(...live.map((l) => l.transcript!));
          made.push(...live.map((l) => l.cacheKey));
          continue;
        }
      }
      const { transcript, cacheKey } = await groupTranscript(refs(group.pieces), kept);
      parts.push(transcript);
      made.push(cacheKey);
    }
    return { transcript: joinTranscripts(parts), made };
  }

  return {
    /**
     * Transcribes the segments from `index` on (`segments`: a group, voice/pieces.ts; else `audio` alone) of
     * an answer still being spoken and announces the transcript so far (`transcript` with `partial: true`).
     * `before` is the text of the segments before them. Idempotent: the transcript is kept, and the event
     * is keyed by the index and content. Returns where the transcript is kept, for the caller to delete.
     */
    async transcribeSegment(
      input: SessionRef & {
        turnId: string;
        index: number;
        audio: AudioRef;
        segments?: AudioRef[];
        before: string;
      },
    ): Promise<{ text: string; transcriptKey: string }> {
      const { transcript, cacheKey } = await groupTranscript(input.segments ?? [input.audio]);
      const text = tidy(transcript.text);
      if (text) {
        const sink = new EventSink(
          events,
          input.sessionId,
          `${input.turnId}:partial:${input.index}:${recordingIdOf(cacheKey)}`,
        );
        const sofar = [input.before, text].filter(Boolean).join(' ');
        const segments = input.index + (input.segments?.length ?? 1);
        sink.emit({ type: 'transcript', turnId: input.turnId, text: sofar, partial: true, segments });
        await sink.close();
      }
      return { text, transcriptKey: cacheKey };
    },

    /**
     * Hears a group of the final transcript (voice/pieces.ts finalGroups) while the answer goes on and
     * keeps its transcript for when the answer ends. Announces nothing: the live transcript already
     * shows these words. Returns where the transcript is kept, for the caller to delete.
     */
    async transcribeFinalGroup(input: { segments: AudioRef[] }): Promise<{ transcriptKey: string }> {
      return { transcriptKey: (await groupTranscript(input.segments)).cacheKey };
    },

    /**
     * Deletes segments of a streamed answer that no recording or transcript needs any more (an attempt
     * that was abandoned or started over), with their transcripts (a key without a digest is deleted as
     * it is: a group's transcript). Safe to repeat.
     */
    async discardSegments(input: { segments: { key: string; digest?: string }[] }): Promise<void> {
      const keys = input.segments.flatMap(({ key, digest }) =>
        digest ? [key, segmentTranscriptKey(key, digest)] : [key],
      );
      await Promise.all(keys.map((key) => blobs.delete(key)));
    },

    /**
     * Transcribes a spoken answer and announces it (`transcript` event). Idempotent: the engine's
     * transcript is stored beside the recording and reused by a retried attempt, and the events' keys
     * derive from the recording, so a retry re-appends nothing. Returns empty text when no words were heard.
     */
    async transcribeAnswer(
      input: SessionRef & { turnId: string; round: number; audio: AudioRef; segments?: AudioRef[] },
    ): Promise<{ text: string; speech?: SpeechMetrics }> {
      const storedKey = transcriptKeyOf(input.audio.key);
      let transcript = await storedTranscript(storedKey);
      if (!transcript) {
        let made: string[];
        try {
          ({ transcript, made } = await answerTranscript(input.audio, input.segments));
        } catch (err) {
          transcriptionsFailed.inc();
          throw err;
        }
        await blobs.put(storedKey, Buffer.from(JSON.stringify(transcript)));
        // The recording holds all the segments' audio; a retry finds the transcript above and needs none.
        await Promise.all(made.map((key) => blobs.delete(key).catch(() => undefined)));
      }
      const text = tidy(transcript.text);
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

const tidy = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Consecutive pieces of one recording as one transcript: texts joined, word times shifted to match. */
export function joinTranscripts(parts: Transcript[]): Transcript {
  let offset = 0;
  const words: Transcript['words'] = [];
  for (const part of parts) {
    for (const w of part.words) words.push({ ...w, start: w.start + offset, end: w.end + offset });
    offset += part.durationSec;
  }
  return {
    text: parts
      .map((p) => tidy(p.text))
      .filter(Boolean)
      .join(' '),
    words,
    durationSec: offset,
    engine: parts.find((p) => p.text)?.engine ?? parts[0]?.engine ?? 'none',
  };
}
