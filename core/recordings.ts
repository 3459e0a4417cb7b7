// Spoken answers' recordings in the blob store: their keys, and the one way to delete them (by the owner
// through the API, or by the worker's retention sweep: core/stores/recordings.ts). The transcript text and
// feedback stay on the turn.
import { createHash } from 'node:crypto';

/** Blob keys allow `[\w-]` segments; an owner id outside that (an OIDC subject, say) is hashed. */
function ownerSegment(ownerId: string): string {
  return /^[\w-]{1,64}$/.test(ownerId)
    ? ownerId
    : `h-${createHash('sha256').update(ownerId).digest('hex').slice(0, 32)}`;
}

/** `audio/<owner>/<session>/<recording>`: per owner, so a store listing or a wipe can go by owner. */
export function recordingKey(ownerId: string, sessionId: string, recordingId: string): string {
  return `audio/${ownerSegment(ownerId)}/${sessionId}/${recordingId}`;
}

/** Segment `index` of a streamed answer to `turnId`, kept until the whole answer is transcribed. */
export const segmentKey = (ownerId: string, sessionId: string, turnId: string, index: number) =>
  recordingKey(ownerId, sessionId, `${turnId}-segment-${index}`);

/** A segment's content hash: the API signals it with the segment, the worker keys its transcript by it. */
export const segmentDigest = (bytes: Uint8Array) =>
  createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** Where a segment's transcript is kept: beside it, per content (the same index may hold other audio). */
export const segmentTranscriptKey = (key: string, digest: string) => `${key}-transcript-${digest}`;

/** The engine's transcript of a recording (JSON), kept so a retried transcription reuses it. */
export const transcriptKeyOf = (audioKey: string) => `${audioKey}-transcript`;

/** The recording's own id (the last key segment): keys events about this one upload. */
export const recordingIdOf = (audioKey: string) => audioKey.slice(audioKey.lastIndexOf('/') + 1);
