// "Sign in with your company": the OpenID Connect authorization code flow with PKCE, state and nonce
// (openid-client 6). The verifier, state and nonce travel in a short-lived HttpOnly cookie scoped to the
// callback path, so any API process can finish a flow another one started.
import * as client from 'openid-client';
import type { Request, Response } from 'express';
import type { Config } from '../../core/config.js';
import { HttpError, unavailable } from '../errors.js';
import { cookiesOf } from './cookies.js';

const FLOW_COOKIE = 'ih_oidc';
const FLOW_PATH = '/api/auth/oidc';
const FLOW_TTL_MS = 10 * 60_000;

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
}

type OidcConfig = Pick<
  Config,
  'OIDC_ISSUER' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'OIDC_REDIRECT_URI' | 'COOKIE_SECURE'
>;

const badSignIn = (detail: string) => new HttpError(400, 'Bad Request', `company sign-in failed: ${detail}`);

export function createOidc(config: OidcConfig) {
  const issuer = new URL(config.OIDC_ISSUER);
  let discovered: Promise<client.Configuration> | undefined;

  /** The issuer's metadata, fetched once; a failed fetch is tried again on the next sign-in. */
  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        issuer,
        config.OIDC_CLIENT_ID,
        config.OIDC_CLIENT_SECRET,
        undefined,
        // Plain http only for an issuer that is itself plain http (a test or an intranet issuer).
        issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw unavailable(
          `the identity provider ${issuer.origin} cannot be reached: ${err instanceof Error ? err.message : String(err)}`,
        );
      });
    return discovered;
  }

  return {
    /** Starts a sign-in: remembers the flow in a cookie, returns where to send the browser. */
    async start(res: Response): Promise<URL> {
      const oidc = await configuration();
      const flow: Flow = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
      };
      res.cookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
        path: FLOW_PATH,
        httpOnly: true,
        // Lax: the identity provider's redirect back is a top-level GET, which carries Lax cookies.
        sameSite: 'lax',
        secure: config.COOKIE_SECURE,
        maxAge: FLOW_TTL_MS,
      });
      return client.buildAuthorizationUrl(oidc, {
        redirect_uri: config.OIDC_REDIRECT_URI,
        scope: 'openid email',
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
        state: flow.state,
        nonce: flow.nonce,
      });
    },

    /** Finishes a sign-in: the issuer-qualified subject and the email of the person who signed in. */
    async finish(req: Request, res: Response): Promise<{ subject: string; email: string }> {
      const oidc = await configuration();
      const raw = cookiesOf(req)[FLOW_COOKIE];
      res.clearCookie(FLOW_COOKIE, { path: FLOW_PATH, httpOnly: true, sameSite: 'lax' });
      if (!raw) throw badSignIn('no sign-in in progress in this browser (or it took over 10 minutes)');
      let flow: Flow;
      try {
        flow = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flow;
      } catch {
        throw badSignIn('the sign-in cookie is malformed');
      }
      // The URL the issuer redirected to, as registered (a proxy may have changed host or scheme on the way).
      const current = new URL(config.OIDC_REDIRECT_URI);
      current.search = new URL(req.originalUrl, 'http://x').search;
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(oidc, current, {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        throw badSignIn(err instanceof Error ? err.message : String(err));
      }
      const claims = tokens.claims();
      if (!claims) throw badSignIn('the identity provider returned no ID token');
      let email = typeof claims.email === 'string' ? claims.email : undefined;
      if (!email) {
        const info = await client.fetchUserInfo(oidc, tokens.access_token, claims.sub);
        email = typeof info.email === 'string' ? info.email : undefined;
      }
      if (!email) throw badSignIn('the identity provider shared no email address (scope "email")');
      return { subject: `${claims.iss}#${claims.sub}`, email: email.trim().toLowerCase() };
    },
  };
}

export type Oidc = ReturnType<typeof createOidc>;
