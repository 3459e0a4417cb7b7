// Accounts: sign up, sign in, who am I, and what the sign-in page offers.
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './limits.js';
import { authModeSchema, roleSchema } from './vocabulary.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email: at most 254 characters')
  .pipe(z.email('email: not a valid email address'));

export const signupSchema = z
  .object({
    email,
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `password: at least ${MIN_PASSWORD_LENGTH} characters`)
      .max(MAX_PASSWORD_LENGTH, `password: at most ${MAX_PASSWORD_LENGTH} characters`),
  })
  .meta({ id: 'Signup' });

/** Sign-in takes any strings: a wrong-looking email is just an unknown one (401, not a hint). */
export const loginSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254),
    password: z.string().max(MAX_PASSWORD_LENGTH),
  })
  .meta({ id: 'Login' });
export type Credentials = z.input<typeof loginSchema>;

/** A user as the API shows it. */
export const accountSchema = z
  .object({ id: z.string(), email: z.string(), role: roleSchema })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof accountSchema>;

/** GET /api/me: `signedIn` is false for the embedded default's local user (no cookie, AUTH_MODE=local). */
export const meSchema = accountSchema
  .extend({ signedIn: z.boolean(), authMode: authModeSchema })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

/** GET /api/auth/config (public): the auth mode and the sign-in methods offered. */
export const authConfigSchema = z
  .object({ mode: authModeSchema, password: z.boolean(), oidc: z.boolean() })
  .meta({ id: 'AuthConfig' });
export type AuthConfig = z.infer<typeof authConfigSchema>;
