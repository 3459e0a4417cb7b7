// `Idempotency-Key` on the routes that create things (jobs, sessions): a client whose reply was lost
// (a dropped connection, a restarted API) sends the same request again with the same key and gets the
// object the first attempt made, never a second one. The object's id is derived from the owner and the
// key, so the database's primary key is what makes the retry a no-op: no key table, no expiry to manage.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { badRequest } from './errors.js';

const HEADER = 'idempotency-key';

/** The id a keyed create gets, or undefined when the request carries no key (a fresh random id then). */
export function idempotentId(
  req: Request,
  ownerId: string,
  kind: 'job' | 'session' | 'review' | 'reply' | 'practice',
): string | undefined {
  const key = req.get(HEADER);
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key))
    throw badRequest('Idempotency-Key must be 1 to 200 visible ASCII characters');
  return derivedId(kind, ownerId, key);
}

/**
 * An id that is a function of `parts`: the same request made twice names the same objects (and the same
 * workflow), so a retried or raced create writes nothing twice. Shaped as a UUID (version 8, "custom").
 */
export function derivedId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\0')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
