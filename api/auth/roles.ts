// Role checks for routes. Roles: candidate (own data only), reviewer (also reads the admin pages' data:
// ingestion runs and the coach version, but changes nothing), admin (also reruns ingestion, cancels runs
// and reloads or promotes coach versions).
import type { RequestHandler } from 'express';
import type { Role } from '../../core/types.js';
import { userOf } from '../context.js';
import { HttpError } from '../errors.js';

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, res, next) => {
    try {
      const { role } = userOf(req, res);
      if (roles.includes(role)) return next();
      next(new HttpError(403, 'Forbidden', `this needs the role ${roles.join(' or ')}; you are ${role}`));
    } catch (err) {
      next(err);
    }
  };
}

/** The admin API: reviewers read it, admins read and change it. */
export const adminApiAccess: RequestHandler = (req, res, next) =>
  (req.method === 'GET' || req.method === 'HEAD' ? requireRole('reviewer', 'admin') : requireRole('admin'))(
    req,
    res,
    next,
  );
