// Anyone-with-the-link review shares. The token is shown once, in the link; only its sha256 is kept, so a
// leaked database holds no working links. sha256 without salt is enough for the token (256 random bits cannot
// be guessed); the passcode is something a person chose, so it gets scrypt with a salt of its own.
import {
  createHash,
  randomBytes,
  randomUUID,
  scrypt,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

/** 32 random bytes: 256 bits, 43 URL-safe characters. */
const TOKEN_BYTES = 32;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** scrypt's cost: 16 MiB and some tens of milliseconds a check, off the event loop (the async form). */
const SCRYPT_COST = { N: 2 ** 14, r: 8, p: 1 } as const;

/** The passcode as stored: its parameters travel with it, so raising the cost later leaves old links valid. */
export interface PasscodeHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64url */
  salt: string;
  /** base64url */
  hash: string;
}

export interface ShareLink {
  id: string;
  /** The review request the link opens (its frozen snapshot, nothing else). */
  requestId: string;
  /** hex sha256 of the token: the store looks a link up by this. */
  tokenHash: string;
  expiresAt: Date;
  passcode: PasscodeHash | null;
  revokedAt: Date | null;
}

/**
 * What opening a link comes to, and the HTTP status the API is meant to answer with:
 * - ok: 200, the snapshot of `requestId`;
 * - not_found: 404 (no link has this token);
 * - revoked: 404 as well: a revoked link is gone, and saying "revoked" would confirm it once existed;
 * - expired: 410 Gone, so the reviewer knows to ask the candidate for a new link;
 * - passcode_required: 401, and the page asks for the passcode;
 * - wrong_passcode: 401 (the rate limiter, not this module, turns repeated tries into 429).
 */
export type ShareAccess =
  | { kind: 'ok'; linkId: string; requestId: string }
  | { kind: 'not_found' }
  | { kind: 'revoked' }
  | { kind: 'expired' }
  | { kind: 'passcode_required' }
  | { kind: 'wrong_passcode' };

const scryptAsync = (secret: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** The same passcode typed on another keyboard may arrive composed differently; NFC makes it one string. */
const normalizePasscode = (passcode: string) => passcode.normalize('NFC');

/** The hex sha256 of a token: how a link is stored and looked up. */
export const hashShareToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function hashPasscode(passcode: string): Promise<PasscodeHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(normalizePasscode(passcode), salt, KEY_BYTES, SCRYPT_COST);
  return {
    algorithm: 'scrypt',
    ...SCRYPT_COST,
    salt: salt.toString('base64url'),
    hash: key.toString('base64url'),
  };
}

export async function passcodeMatches(stored: PasscodeHash, passcode: string): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64url');
  const key = await scryptAsync(
    normalizePasscode(passcode),
    Buffer.from(stored.salt, 'base64url'),
    expected.length,
    {
      N: stored.N,
      r: stored.r,
      p: stored.p,
    },
  );
  return timingSafeEqual(key, expected);
}

export interface NewShareLink {
  requestId: string;
  expiresAt: Date;
  /** Absent or empty: no passcode. */
  passcode?: string;
  now: Date;
}

/** A new link, and its token: put the token in the URL given to the candidate, and store only `link`. */
export async function createShareLink(input: NewShareLink): Promise<{ link: ShareLink; token: string }> {
  if (input.expiresAt.getTime() <= input.now.getTime()) {
    throw new RangeError('a share link must expire after it is made');
  }
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return {
    token,
    link: {
      id: randomUUID(),
      requestId: input.requestId,
      tokenHash: hashShareToken(token),
      expiresAt: input.expiresAt,
      passcode: input.passcode ? await hashPasscode(input.passcode) : null,
      revokedAt: null,
    },
  };
}

/** The link, revoked as of `now`; revoking again keeps the first time. */
export const revokeShareLink = (link: ShareLink, now: Date): ShareLink =>
  link.revokedAt ? link : { ...link, revokedAt: now };

/**
 * Whether `token` (and `passcode`, if the link has one) opens `link` at `now`. `link` is what the store found
 * by the token's hash, or undefined; the hash is compared again here, in constant time, so a caller that
 * looked the link up some other way cannot open it with the wrong token. Checked in this order: the token,
 * revocation, expiry, then the passcode (no passcode work for a link that is gone anyway).
 */
export async function checkShareAccess(
  link: ShareLink | undefined,
  token: string,
  passcode: string | undefined,
  now: Date,
): Promise<ShareAccess> {
  if (
    !link ||
    !timingSafeEqual(Buffer.from(hashShareToken(token), 'hex'), Buffer.from(link.tokenHash, 'hex'))
  ) {
    return { kind: 'not_found' };
  }
  if (link.revokedAt) return { kind: 'revoked' };
  if (now.getTime() >= link.expiresAt.getTime()) return { kind: 'expired' };
  if (link.passcode) {
    if (!passcode) return { kind: 'passcode_required' };
    if (!(await passcodeMatches(link.passcode, passcode))) return { kind: 'wrong_passcode' };
  }
  return { kind: 'ok', linkId: link.id, requestId: link.requestId };
}
