// Spoken answers' recordings in the blob store: their keys, and the one way to delete them (by the owner
// through the API, or by the worker's retention sweep). The transcript text and feedback stay on the turn.
import { createHash } from 'node:crypto';
import { and, eq, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { BlobStore } from './blobs.js';
import type { Db } from './db/client.js';
import { turns } from './db/schema.js';

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

/** The engine's transcript of a recording (JSON), kept so a retried transcription reuses it. */
export const transcriptKeyOf = (audioKey: string) => `${audioKey}-transcript`;

/** The recording's own id (the last key segment): keys events about this one upload. */
export const recordingIdOf = (audioKey: string) => audioKey.slice(audioKey.lastIndexOf('/') + 1);

/**
 * Deletes the recordings of the turns matching `where` (blob and stored transcript), then forgets their
 * keys. Returns how many were deleted. Safe to repeat: a missing blob is not an error.
 */
export async function deleteRecordings(db: Db, blobs: BlobStore, where: SQL | undefined): Promise<number> {
  const rows = await db
    .select({ id: turns.id, key: turns.audioKey })
    .from(turns)
    .where(and(isNotNull(turns.audioKey), where));
  for (const { id, key } of rows) {
    await Promise.all([blobs.delete(key!), blobs.delete(transcriptKeyOf(key!))]);
    await db
      .update(turns)
      .set({ audioKey: null, audioBytes: null, audioRecordedAt: null })
      .where(and(eq(turns.id, id), eq(turns.audioKey, key!)));
  }
  return rows.length;
}

/** Recordings older than `days` (0 keeps them forever). */
export function deleteExpiredRecordings(db: Db, blobs: BlobStore, days: number, now = new Date()) {
  if (days <= 0) return Promise.resolve(0);
  const cutoff = new Date(now.getTime() - days * 24 * 60 * 60 * 1000);
  return deleteRecordings(db, blobs, lt(turns.audioRecordedAt, cutoff));
}
