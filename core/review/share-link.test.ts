import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkShareAccess, createShareLink, revokeShareLink } from './share-link.js';

const now = new Date('2026-12-06T12:00:00Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
const later = (ms: number) => new Date(now.getTime() + ms);

describe('creating a share link', () => {
  it('gives a URL-safe token of at least 128 random bits and stores only its sha256', async () => {
    const { link, token } = await createShareLink({ requestId: 'req-1', expiresAt: inDays(7), now });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length * 6).toBeGreaterThanOrEqual(128); // base64url: 6 bits a character
    expect(link.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(link)).not.toContain(token);
    expect(link).toMatchObject({ requestId: 'req-1', expiresAt: inDays(7), passcode: null, revokedAt: null });
  });

  it('never gives the same token or id twice', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, () => createShareLink({ requestId: 'req-1', expiresAt: inDays(1), now })),
    );
    expect(new Set(made.map((m) => m.token)).size).toBe(20);
    expect(new Set(made.map((m) => m.link.id)).size).toBe(20);
  });

  it('stores the passcode as a salted scrypt hash, never the passcode itself', async () => {
    const a = await createShareLink({ requestId: 'r', expiresAt: inDays(1), passcode: 'tulip-42', now });
    const b = await createShareLink({ requestId: 'r', expiresAt: inDays(1), passcode: 'tulip-42', now });
    expect(a.link.passcode).toMatchObject({ algorithm: 'scrypt' });
    expect(JSON.stringify(a.link)).not.toContain('tulip-42');
    expect(a.link.passcode!.salt).not.toBe(b.link.passcode!.salt);
    expect(a.link.passcode!.hash).not.toBe(b.link.passcode!.hash);
  });

  it('refuses a link that would already be expired', async () => {
    await expect(createShareLink({ requestId: 'r', expiresAt: now, now })).rejects.toThrow(RangeError);
  });
});

describe('opening a share link', () => {
  it('opens the request’s snapshot with the right token before it expires', async () => {
    const { link, token } = await createShareLink({ requestId: 'req-7', expiresAt: inDays(2), now });
    expect(await checkShareAccess(link, token, undefined, later(1000))).toEqual({
      kind: 'ok',
      linkId: link.id,
      requestId: 'req-7',
    });
  });

  it('is not found without a stored link or with another token', async () => {
    const { link, token } = await createShareLink({ requestId: 'r', expiresAt: inDays(2), now });
    const other = await createShareLink({ requestId: 'r', expiresAt: inDays(2), now });
    expect(await checkShareAccess(undefined, token, undefined, now)).toEqual({ kind: 'not_found' });
    expect(await checkShareAccess(link, other.token, undefined, now)).toEqual({ kind: 'not_found' });
    expect(await checkShareAccess(link, token.slice(0, -1), undefined, now)).toEqual({ kind: 'not_found' });
  });

  it('expires at its expiry time, not a moment before', async () => {
    const { link, token } = await createShareLink({ requestId: 'r', expiresAt: inDays(1), now });
    expect((await checkShareAccess(link, token, undefined, later(86_400_000 - 1))).kind).toBe('ok');
    expect(await checkShareAccess(link, token, undefined, inDays(1))).toEqual({ kind: 'expired' });
  });

  it('stops working the moment it is revoked, whatever its expiry, and stays revoked', async () => {
    const { link, token } = await createShareLink({ requestId: 'r', expiresAt: inDays(30), now });
    const revoked = revokeShareLink(link, later(5000));
    expect(revoked.revokedAt).toEqual(later(5000));
    expect(await checkShareAccess(revoked, token, undefined, later(5000))).toEqual({ kind: 'revoked' });
    expect(await checkShareAccess(revoked, token, undefined, inDays(31))).toEqual({ kind: 'revoked' });
    expect(revokeShareLink(revoked, later(9000)).revokedAt).toEqual(later(5000));
    expect(link.revokedAt).toBeNull();
  });

  it('with a passcode: asks for it, refuses a wrong one, opens with the right one', async () => {
    const { link, token } = await createShareLink({
      requestId: 'r',
      expiresAt: inDays(1),
      passcode: 'open sesame',
      now,
    });
    expect(await checkShareAccess(link, token, undefined, now)).toEqual({ kind: 'passcode_required' });
    expect(await checkShareAccess(link, token, '', now)).toEqual({ kind: 'passcode_required' });
    expect(await checkShareAccess(link, token, 'open sesame!', now)).toEqual({ kind: 'wrong_passcode' });
    expect(await checkShareAccess(link, token, 'Open sesame', now)).toEqual({ kind: 'wrong_passcode' });
    expect((await checkShareAccess(link, token, 'open sesame', now)).kind).toBe('ok');
  });

  it('accepts the passcode however its accents were composed', async () => {
    const composed = 'café'.normalize('NFC');
    const decomposed = 'café'.normalize('NFD');
    expect(composed).not.toBe(decomposed);
    const { link, token } = await createShareLink({
      requestId: 'r',
      expiresAt: inDays(1),
      passcode: composed,
      now,
    });
    expect((await checkShareAccess(link, token, decomposed, now)).kind).toBe('ok');
  });

  it('a wrong token is not found even when the passcode is right, and an expired link asks no passcode', async () => {
    const { link, token } = await createShareLink({
      requestId: 'r',
      expiresAt: inDays(1),
      passcode: 'pw',
      now,
    });
    expect(await checkShareAccess(link, `${token}x`, 'pw', now)).toEqual({ kind: 'not_found' });
    expect(await checkShareAccess(link, token, undefined, inDays(2))).toEqual({ kind: 'expired' });
  });
});
