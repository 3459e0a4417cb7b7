// What the API needs from the outside world, injected so tests can build the app around real services.
import type { Request, Response } from 'express';
import type { Account as ContractAccount, CoachVersion } from '../contract/index.js';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Db } from '../core/db/client.js';
import type { EventLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { HttpError } from './errors.js';
import type { ChunkStore } from '../ingestion/store.js';
import type { BlobStore } from '../core/blobs.js';
import type { TtsEngine } from '../voice/types.js';
import type { Retriever } from '../agents/context.js';

/** The coach version the app runs, as the admin API reports it. */
/** The coach version this process runs (GET /api/admin/coach): the contract's shape. */
export type CoachVersionInfo = CoachVersion;

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
  /** The speech synthesiser of GET /api/tts, opened on first use (a text-only API never loads a voice). */
  tts: () => Promise<TtsEngine>;
  /** Each dependency /readyz must reach, by name. */
  checks: Record<string, () => Promise<unknown>>;
  meta: { coach: { mode: 'offline' | 'model'; model: string | null }; embeddings: { model: string } };
  /** The coach's prompt/model version: what runs now, and a reload from the registry (or the repo file). */
  coachVersion: { current(): CoachVersionInfo; reload(): Promise<CoachVersionInfo> };
}

export type { Role } from '../core/types.js';
import type { Role } from '../core/types.js';

/** A user as the API shows it (GET /api/me): the contract's shape. */
export type Account = ContractAccount;

/**
 * Who sent a request, set by api/auth/identity.ts before any route runs:
 * - account: signed in with a session cookie;
 * - local: no cookie, AUTH_MODE=local: the embedded default's local user;
 * - anonymous: no (valid) cookie in accounts mode, or a cookie whose session ended (never the local user).
 */
export type Identity =
  | { kind: 'account'; account: Account; sessionId: string }
  | { kind: 'local'; account: Account }
  | { kind: 'anonymous'; reason: string };

declare module 'express-serve-static-core' {
  interface Locals {
    identity?: Identity;
  }
}

/** The caller's identity; throws when the identity middleware did not run (a wiring bug, not a client error). */
export function identityOf(res: Response): Identity {
  const identity = res.locals.identity;
  if (!identity)
    throw new Error('no identity on the request: api/auth/identity.ts identify() must run first');
  return identity;
}

/** The signed-in user (or the embedded local user); 401 for an anonymous client. */
export function userOf(_req: Request, res: Response): { id: string; role: Role } {
  const identity = identityOf(res);
  if (identity.kind === 'anonymous') throw new HttpError(401, 'Unauthorized', identity.reason);
  return { id: identity.account.id, role: identity.account.role };
}

export function ownerOf(req: Request, res: Response): string {
  return userOf(req, res).id;
}

/**
 * Whose data the admin API may reach for this caller: every owner's (undefined) for a signed-in admin or
 * reviewer; only the local user's own for the embedded default's cookie-less local admin, which must see
 * nothing of any account created beside it.
 */
export function adminScopeOf(res: Response): string | undefined {
  const identity = identityOf(res);
  return identity.kind === 'local' ? identity.account.id : undefined;
}
