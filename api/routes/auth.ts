// Accounts: sign up, sign in (password or the company's OIDC issuer), sign out here or everywhere, who am I.
import { Router, type Request, type Response } from 'express';
import { loginSchema, signupSchema } from '../../contract/index.js';
import { createAccounts } from '../auth/accounts.js';
import { clearSessionCookies, setSessionCookies } from '../auth/cookies.js';
import { createOidc } from '../auth/oidc.js';
import { decoyHash, hashPassword, verifyPassword } from '../auth/password.js';
import { newToken, type AuthSessions } from '../auth/sessions.js';
import { identityOf, type Account, type ApiDeps } from '../context.js';
import { HttpError, notFound } from '../errors.js';
import type { Limits } from '../limits/index.js';

const wrongCredentials = () => new HttpError(401, 'Unauthorized', 'wrong email or password');

export function authRouter(deps: ApiDeps, sessions: AuthSessions, limits: Limits): Router {
  const { config } = deps;
  const accounts = createAccounts(deps.db, config);
  const oidc = config.OIDC_ISSUER ? createOidc(config) : undefined;
  void decoyHash(); // computed now, so the first unknown-email sign-in costs no more than later ones
  const router = Router();

  /** Starts a session for the account (ending the one this client had, if any) and sets the cookies. */
  async function signIn(req: Request, res: Response, account: Account): Promise<Account> {
    const before = identityOf(res);
    if (before.kind === 'account') await sessions.close(before.sessionId);
    const token = await sessions.open(account.id, req.headers['user-agent']);
    setSessionCookies(res, config, token, newToken());
    return account;
  }

  /** What the sign-in page offers (public). */
  router.get('/api/auth/config', (_req, res) => {
    res.json({ mode: config.AUTH_MODE, password: true, oidc: Boolean(oidc) });
  });

  router.post('/api/auth/signup', limits.authAttempts, async (req, res) => {
    const { email, password } = signupSchema.parse(req.body);
    const account = await accounts.signUp(email, await hashPassword(password));
    res.status(201).json(await signIn(req, res, account));
  });

  router.post('/api/auth/login', limits.authAttempts, async (req, res) => {
    const { email, password } = loginSchema.parse(req.body);
    const found = await accounts.withPassword(email);
    // Unknown emails and OIDC-only accounts cost one scrypt too, so timing does not tell them apart.
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
    if (!found?.passwordHash || !ok) throw wrongCredentials();
    const { passwordHash: _, ...account } = found;
    res.json(await signIn(req, res, await accounts.promoted(account)));
  });

  router.post('/api/auth/logout', async (_req, res) => {
    const identity = identityOf(res);
    if (identity.kind === 'account') await sessions.close(identity.sessionId);
    clearSessionCookies(res, config);
    res.status(204).end();
  });

  /** Sign out everywhere: every session of this account, on every device, ends now. */
  router.post('/api/auth/logout-all', async (_req, res) => {
    const identity = identityOf(res);
    if (identity.kind === 'anonymous') throw new HttpError(401, 'Unauthorized', identity.reason);
    await sessions.closeAll(identity.account.id);
    clearSessionCookies(res, config);
    res.status(204).end();
  });

  router.get('/api/me', (_req, res) => {
    const identity = identityOf(res);
    if (identity.kind === 'anonymous') throw new HttpError(401, 'Unauthorized', identity.reason);
    // signedIn: false is the embedded default's local user (no account menu, no sign-out).
    res.json({ ...identity.account, signedIn: identity.kind === 'account', authMode: config.AUTH_MODE });
  });

  router.get('/api/auth/oidc/start', limits.authAttempts, async (_req, res) => {
    if (!oidc) throw notFound('company sign-in (OIDC is not configured)');
    res.redirect(302, (await oidc.start(res)).href);
  });

  router.get('/api/auth/oidc/callback', async (req, res) => {
    if (!oidc) throw notFound('company sign-in (OIDC is not configured)');
    const { subject, email } = await oidc.finish(req, res);
    await signIn(req, res, await accounts.ofSubject(subject, email));
    res.redirect(302, '/');
  });

  return router;
}
