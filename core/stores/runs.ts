// The rows an ingestion run starts from: the run itself and, for a new job, an edit or an upload, the job
// and documents it indexes. Both the API (at once, so the answer can show them) and the run's workflow
// (its first activity, so a killed API leaves nothing half made) write them; the run row makes the second
// write a no-op.
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { documents, ingestionRuns, jobs } from '../db/schema.js';
import type { DocumentKind, IngestionRunKind, IngestionRunStatus, Seniority } from '../types.js';

/** A document a run indexes: inserted, or (an edited pasted text) reset to pending with its new text. */
export interface PreparedDocument {
  id: string;
  ownerId: string;
  name: string;
  kind: DocumentKind;
  /** Pasted text; empty for an upload until it is parsed. */
  text: string;
  blobKey?: string;
  sizeBytes: number;
}

export interface PreparedRun {
  runId: string;
  jobId: string;
  indexVersion: number;
  documentIds: string[];
  run: {
    ownerId: string;
    requestedBy: string;
    kind: IngestionRunKind;
    embedder: string;
    chunkSize: number;
    chunkOverlap: number;
  };
  /** A new job (POST /api/jobs): the run creates it. */
  job?: { ownerId: string; title: string; company: string; seniority?: Seniority | null };
  documents?: PreparedDocument[];
}

/** Writes the run's rows unless its run row exists already. Returns whether it wrote them. */
export async function prepareRun(db: Db, p: PreparedRun): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (p.job) {
      await tx
        .insert(jobs)
        .values({
          id: p.jobId,
          ownerId: p.job.ownerId,
          title: p.job.title,
          company: p.job.company,
          seniority: p.job.seniority,
        })
        .onConflictDoNothing();
    }
    const [run] = await tx
      .insert(ingestionRuns)
      .values({
        id: p.runId,
        jobId: p.jobId,
        ownerId: p.run.ownerId,
        requestedBy: p.run.requestedBy,
        kind: p.run.kind,
        documents: p.documentIds.length,
        embedder: p.run.embedder,
        chunkSize: p.run.chunkSize,
        chunkOverlap: p.run.chunkOverlap,
        indexVersion: p.indexVersion,
      })
      .onConflictDoNothing()
      .returning({ id: ingestionRuns.id });
    // Written already (by the API, or by an earlier attempt): its documents may be indexed by now.
    if (!run) return false;
    for (const d of p.documents ?? []) {
      const reset = {
        text: d.text,
        sizeBytes: d.sizeBytes,
        status: 'pending' as const,
        stage: 'queued' as const,
        chunks: 0,
        error: null,
      };
      await tx
        .insert(documents)
        .values({ ...d, jobId: p.jobId, ...reset })
        .onConflictDoUpdate({ target: documents.id, set: reset });
    }
    return true;
  });
}

/** Closes a run with its outcome and counts. */
export async function finish(
  db: Db,
  runId: string,
  r: {
    status: IngestionRunStatus;
    done: number;
    failed: number;
    chunks: number;
    errors: string[];
  },
): Promise<void> {
  await db
    .update(ingestionRuns)
    .set({
      status: r.status,
      documentsDone: r.done,
      documentsFailed: r.failed,
      chunks: r.chunks,
      errors: r.errors,
      finishedAt: new Date(),
    })
    .where(eq(ingestionRuns.id, runId));
}

export type RunRow = typeof ingestionRuns.$inferSelect;

/** The id of the job's running reindex, if one runs. */
export async function runningReindex(db: Db, jobId: string): Promise<string | undefined> {
  const [run] = await db
    .select({ id: ingestionRuns.id })
    .from(ingestionRuns)
    .where(
      and(
        eq(ingestionRuns.jobId, jobId),
        eq(ingestionRuns.kind, 'reindex'),
        eq(ingestionRuns.status, 'running'),
      ),
    );
  return run?.id;
}

export async function byId(db: Db, runId: string): Promise<RunRow | undefined> {
  const [run] = await db.select().from(ingestionRuns).where(eq(ingestionRuns.id, runId));
  return run;
}

/** Runs with their job's title, newest first: of one job and/or one owner, at most `limit`. */
export function list(db: Db, opts: { jobId?: string; ownerId?: string; limit: number }) {
  return db
    .select({ run: ingestionRuns, title: jobs.title })
    .from(ingestionRuns)
    .innerJoin(jobs, eq(jobs.id, ingestionRuns.jobId))
    .where(
      and(
        opts.jobId ? eq(ingestionRuns.jobId, opts.jobId) : undefined,
        opts.ownerId ? eq(ingestionRuns.ownerId, opts.ownerId) : undefined,
      ),
    )
    .orderBy(desc(ingestionRuns.startedAt))
    .limit(opts.limit);
}
