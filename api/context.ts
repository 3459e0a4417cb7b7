// What the API needs from the outside world, injected so tests can build the app around real services.
import type { Request, Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/client.js';
import type { EventLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { LOCAL_USER_ID } from '../core/types.js';
import type { ChunkStore } from '../ingestion/store.js';

export interface ApiDeps {
  config: Config;
  logger: Logger;
  db: Db;
  events: EventLog;
  temporal: Client;
  store: ChunkStore;
  /** Each dependency /readyz must reach, by name. */
  checks: Record<string, () => Promise<unknown>>;
  meta: { coach: { mode: 'offline' | 'model'; model: string | null }; embeddings: { model: string } };
}

/** The signed-in user. Until accounts exist (a later issue) every client is the embedded local user. */
export function ownerOf(_req: Request, _res: Response): string {
  return LOCAL_USER_ID;
}
