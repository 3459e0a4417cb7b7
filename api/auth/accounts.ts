// User accounts: sign-up with a password, or first sign-in through the company's OIDC issuer.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../core/db/client.js';
import { users } from '../../core/db/schema.js';
import type { Config } from '../../core/config.js';
import type { Role } from '../../core/types.js';
import type { Account } from '../context.js';
import { conflict } from '../errors.js';

const account = { id: users.id, email: users.email, role: users.role };

/** Postgres' unique_violation, as thrown by either driver (drizzle may wrap it in `cause`). */
function isUniqueViolation(err: unknown): boolean {
  for (let e = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

const RANK: Record<Role, number> = { candidate: 0, reviewer: 1, admin: 2 };

export function createAccounts(db: Db, config: Pick<Config, 'ADMIN_EMAILS' | 'REVIEWER_EMAILS'>) {
  const listed = (csv: string) =>
    new Set(
      csv
        .split(',')
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    );
  const admins = listed(config.ADMIN_EMAILS);
  const reviewers = listed(config.REVIEWER_EMAILS);
  const roleFor = (email: string): Role =>
    admins.has(email) ? 'admin' : reviewers.has(email) ? 'reviewer' : 'candidate';

  async function insert(values: { email: string; passwordHash?: string; oidcSubject?: string }) {
    try {
      const [row] = await db
        .insert(users)
        .values({ id: randomUUID(), role: roleFor(values.email), ...values })
        .returning(account);
      return row!;
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict(`an account with the email ${values.email} exists`);
      throw err;
    }
  }

  /** Raises the role to what ADMIN_EMAILS / REVIEWER_EMAILS grant, when they grant more. */
  async function promoted(found: Account): Promise<Account> {
    const role = roleFor(found.email);
    if (RANK[role] <= RANK[found.role]) return found;
    await db.update(users).set({ role }).where(eq(users.id, found.id));
    return { ...found, role };
  }

  return {
    promoted,

    /** New accounts are candidates unless ADMIN_EMAILS / REVIEWER_EMAILS name them. */
    signUp: (email: string, passwordHash: string): Promise<Account> => insert({ email, passwordHash }),

    async withPassword(email: string): Promise<(Account & { passwordHash: string | null }) | undefined> {
      const [row] = await db
        .select({ ...account, passwordHash: users.passwordHash })
        .from(users)
        .where(eq(users.email, email));
      return row;
    },

    /**
     * The account of an OIDC subject, created on its first sign-in. An existing password account with the
     * same email is never linked automatically (that would hand it to whoever controls the issuer's claim).
     */
    async ofSubject(subject: string, email: string): Promise<Account> {
      const [row] = await db.select(account).from(users).where(eq(users.oidcSubject, subject));
      return row ? promoted(row) : insert({ email, oidcSubject: subject });
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
