// Signed-in clients. The cookie holds a random 32-byte token; the database keeps only its sha256, so a
// leaked database row cannot be replayed as a cookie.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { authSessions, users } from '../../core/db/schema.js';
import type { Account } from '../context.js';

export const newToken = () => randomBytes(32).toString('base64url');
const idOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function createAuthSessions(db: Db, ttlDays: number) {
  return {
    /** Starts a session for the user; returns the cookie token. Expired sessions are swept on the way. */
    async open(userId: string, userAgent: string | undefined): Promise<string> {
      const token = newToken();
      const now = Date.now();
      await db.delete(authSessions).where(lt(authSessions.expiresAt, new Date(now)));
      await db.insert(authSessions).values({
        id: idOf(token),
        userId,
        expiresAt: new Date(now + ttlDays * 24 * 3600 * 1000),
        userAgent: userAgent?.slice(0, 300),
      });
      return token;
    },

    /** The account behind a cookie token, or null when the session is unknown, ended or expired. */
    async resolve(token: string): Promise<{ account: Account; sessionId: string } | null> {
      const id = idOf(token);
      const [row] = await db
        .select({ id: users.id, email: users.email, role: users.role })
        .from(authSessions)
        .innerJoin(users, eq(users.id, authSessions.userId))
        .where(and(eq(authSessions.id, id), gt(authSessions.expiresAt, new Date())));
      return row ? { account: row, sessionId: id } : null;
    },

    /** Ends one session (sign out here). */
    async close(sessionId: string): Promise<void> {
      await db.delete(authSessions).where(eq(authSessions.id, sessionId));
    },

    /** Ends every session of the user (sign out everywhere). */
    async closeAll(userId: string): Promise<void> {
      await db.delete(authSessions).where(eq(authSessions.userId, userId));
    },
  };
}

export type AuthSessions = ReturnType<typeof createAuthSessions>;
