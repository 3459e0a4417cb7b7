// Model tokens spent per user and UTC day (table token_usage): the worker adds what the coach spends, the
// API refuses new model work once a user's daily quota is used up.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { tokenUsage } from '../db/schema.js';

/** The UTC day a moment falls on, as YYYY-MM-DD (the table's key). */
export const utcDay = (at: Date = new Date()) => at.toISOString().slice(0, 10);

export async function addTokens(
  db: Db,
  userId: string,
  tokens: number,
  at: Date = new Date(),
): Promise<void> {
  if (!(tokens > 0)) return;
  const n = Math.round(tokens);
  await db
    .insert(tokenUsage)
    .values({ userId, day: utcDay(at), tokens: n })
    .onConflictDoUpdate({
      target: [tokenUsage.userId, tokenUsage.day],
      set: { tokens: sql`${tokenUsage.tokens} + ${n}` },
    });
}

export async function tokensSpent(db: Db, userId: string, at: Date = new Date()): Promise<number> {
  const [row] = await db
    .select({ tokens: tokenUsage.tokens })
    .from(tokenUsage)
    .where(and(eq(tokenUsage.userId, userId), eq(tokenUsage.day, utcDay(at))));
  return row?.tokens ?? 0;
}
