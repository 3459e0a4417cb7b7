import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'interview-helper'): Logger {
  return pino({
    name,
    level,
    redact: {
      // Session tokens travel in cookie headers both ways (api/auth/cookies.ts); the CSRF token in a header.
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.apiKey',
      ],
      censor: '[redacted]',
    },
  });
}
