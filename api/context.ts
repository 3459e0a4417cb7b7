// What the API needs from the outside world, injected so tests can build the app around real services.
import type { Request, Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/client.js';
import type { EventLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { LOCAL_USER_ID } from '../core/types.js';
import type { ChunkStore } from '../ingestion/store.js';
import type { BlobStore } from '../core/blobs.js';
import type { Retriever } from '../agents/context.js';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  db: Db;
  events: EventLog;
  temporal: Client;
  store: ChunkStore;
  blobs: BlobStore;
  /** The coach's own retrieval over a job's active index (the search route serves the same). */
  retrieve: Retriever;
  /** Each dependency /readyz must reach, by name. */
  checks: Record<string, () => Promise<unknown>>;
  meta: { coach: { mode: 'offline' | 'model'; model: string | null }; embeddings: { model: string } };
}

export type Role = 'candidate' | 'reviewer' | 'admin';

/** The signed-in user. Until accounts exist (a later issue) every client is the embedded local user. */
export function userOf(_req: Request, _res: Response): { id: string; role: Role } {
  return { id: LOCAL_USER_ID, role: 'admin' };
}

export function ownerOf(req: Request, res: Response): string {
  return userOf(req, res).id;
}
