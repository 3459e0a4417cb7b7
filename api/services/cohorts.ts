// Cohorts (issue 13's review pools). Any account may create one and becomes its first member; others join
// with its invite code (a capability like a share link: whoever was given it may join). No admin step, so a
// class or a study group sets itself up; a member list and leaving are not here yet.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Cohort } from '../../contract/index.js';
import * as cohorts from '../../core/stores/cohorts.js';
import type { ApiDeps } from '../context.js';
import { notFound } from '../errors.js';

/** 10 characters of an alphabet without look-alikes (no 0/O, 1/I/L): easy to read out or type. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const inviteCode = () => [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');

export function createCohortService({ db }: Pick<ApiDeps, 'db'>) {
  /** One of `userId`'s cohorts as they see it. */
  async function mine(userId: string, id: string): Promise<Cohort> {
    const found = (await cohorts.ofMember(db, userId)).find((c) => c.id === id);
    if (!found) throw notFound(`cohort ${id}`);
    return found;
  }

  return {
    async create(userId: string, name: string): Promise<Cohort> {
      const id = randomUUID();
      await cohorts.create(db, { id, name, inviteCode: inviteCode(), createdBy: userId });
      return mine(userId, id);
    },
    list: (userId: string): Promise<Cohort[]> => cohorts.ofMember(db, userId),
    async join(userId: string, code: string): Promise<Cohort> {
      const id = await cohorts.join(db, code.toUpperCase(), userId);
      if (!id) throw notFound('a cohort with this invite code');
      return mine(userId, id);
    },
  };
}
