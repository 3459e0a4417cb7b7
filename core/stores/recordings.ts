// Deleting spoken answers' recordings: the blob and its stored transcript, then the turn's reference to
// it. The one way to delete them, used by the owner's DELETE, a job's deletion and the retention sweep.
import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { BlobStore } from '../blobs.js';
import type { Db } from '../db/client.js';
import { turns } from '../db/schema.js';
import { transcriptKeyOf } from '../recordings.js';

/** Which turns' recordings: one turn (of a session, of an owner), every turn of some sessions, or old ones. */
export interface RecordingFilter {
  turnId?: string;
  sessionId?: string;
  sessionIds?: string[];
  ownerId?: string;
  recordedBefore?: Date;
}

/**
 * Deletes the recordings of the turns `which` selects (blob and stored transcript), then forgets their
 * keys. Returns how many were deleted. Safe to repeat: a missing blob is not an error.
 */
export async function deleteRecordings(db: Db, blobs: BlobStore, which: RecordingFilter): Promise<number> {
  if (which.sessionIds?.length === 0) return 0;
  const rows = await db
    .select({ id: turns.id, key: turns.audioKey })
    .from(turns)
    .where(
      and(
        isNotNull(turns.audioKey),
        which.turnId ? eq(turns.id, which.turnId) : undefined,
        which.sessionId ? eq(turns.sessionId, which.sessionId) : undefined,
        which.sessionIds ? inArray(turns.sessionId, which.sessionIds) : undefined,
        which.ownerId ? eq(turns.ownerId, which.ownerId) : undefined,
        which.recordedBefore ? lt(turns.audioRecordedAt, which.recordedBefore) : undefined,
      ),
    );
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
  return deleteRecordings(db, blobs, { recordedBefore: cutoff });
}

/** Keeps a turn's newly accepted recording (the blob is stored already). */
export async function setRecording(
  db: Db,
  turnId: string,
  ownerId: string,
  recording: { key: string; bytes: number },
): Promise<void> {
  await db
    .update(turns)
    .set({ audioKey: recording.key, audioBytes: recording.bytes, audioRecordedAt: new Date() })
    .where(and(eq(turns.id, turnId), eq(turns.ownerId, ownerId)));
}
