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

/** The coach version the app runs, as the admin API reports it. */
export interface CoachVersionInfo {
  /** The prompt version's name, e.g. coach-prompts@1. */
  version: string;
  source: 'mlflow' | 'repo';
  /** The MLflow registry version behind `production`, when source is mlflow. */
  registryVersion: string | null;
  mode: 'offline' | 'model';
  /** The model the version runs with (null for the offline coach). */
  model: string | null;
  temperature: number | null;
  loadedAt: string;
  /** Why the registry was not used although MLFLOW_TRACKING_URI is set. */
  warning: string | null;
}

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
  /** The coach's prompt/model version: what runs now, and a reload from the registry (or the repo file). */
  coachVersion: { current(): CoachVersionInfo; reload(): Promise<CoachVersionInfo> };
}

export type { Role } from '../core/types.js';
import type { Role } from '../core/types.js';

/** The signed-in user. Until accounts exist (a later issue) every client is the embedded local user. */
export function userOf(_req: Request, _res: Response): { id: string; role: Role } {
  return { id: LOCAL_USER_ID, role: 'admin' };
}

export function ownerOf(req: Request, res: Response): string {
  return userOf(req, res).id;
}
