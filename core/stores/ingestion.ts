// The rows an ingestion run starts from: the run itself and, for a new job, an edit or an upload, the job
// and documents it indexes. Both the API (at once, so the answer can show them) and the run's workflow
// (its first activity, so a killed API leaves nothing half made) write them; the run row makes the second
// write a no-op.
import type { Db } from '../db/client.js';
import { documents, ingestionRuns, jobs } from '../db/schema.js';
import type { DocumentKind, IngestionRunKind, Seniority } from '../types.js';

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
