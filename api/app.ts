// Builds the Express app without listening, so tests can mount it on any port.
import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { httpDuration } from '../core/metrics.js';
import type { ApiDeps } from './context.js';
import { errorMiddleware, notFound } from './errors.js';
import { csrfProtection } from './auth/csrf.js';
import { identify, requireSignedIn } from './auth/identity.js';
import { createAuthSessions } from './auth/sessions.js';
import { createLimits } from './limits/index.js';
import { adminRouter } from './routes/admin.js';
import { authRouter } from './routes/auth.js';
import { jobsRouter } from './routes/jobs.js';
import { panelsRouter } from './routes/panels.js';
import { reviewsRouter } from './routes/reviews.js';
import { cohortsRouter } from './routes/cohorts.js';
import { sessionsRouter } from './routes/sessions.js';
import { systemRouter } from './routes/system.js';
import { voiceRouter } from './routes/voice.js';

export function createApp(deps: ApiDeps, web?: RequestHandler): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: {
        ignore: (req) => req.url === '/metrics' || req.url === '/healthz' || req.url === '/readyz',
      },
    }),
  );
  app.use((req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = req.route?.path as string | undefined;
      end({
        route: route ?? (req.path.startsWith('/api') ? 'unmatched' : 'web'),
        status: String(res.statusCode),
      });
    });
    next();
  });
  app.use(
    express.json({
      limit: deps.config.BODY_LIMIT_BYTES,
      strict: true,
      type: ['application/json', 'application/*+json'],
    }),
  );

  // Who is calling (cookie, or the embedded local user), then: signed in, not cross-site, within limits.
  const authSessions = createAuthSessions(deps.db, deps.config.SESSION_TTL_DAYS);
  const limits = createLimits(deps.config, deps.db);
  app.use('/api', identify(deps.config, authSessions), requireSignedIn, csrfProtection(deps.config));
  app.post('/api/jobs/:id/documents', limits.uploads);
  app.use('/api/shared-reviews', limits.reviewLinks);
  app.post('/api/sessions', limits.sessionsStarted, limits.modelTokens);
  app.post(
    [
      '/api/sessions/:id/answers',
      '/api/sessions/:id/audio',
      '/api/sessions/:id/turns/:turnId/audio/finish',
      '/api/sessions/:id/retry',
      '/api/sessions/:id/next',
    ],
    limits.modelTokens,
  );

  app.use(authRouter(deps, authSessions, limits));
  app.use(systemRouter(deps));
  app.use(jobsRouter(deps));
  app.use(sessionsRouter(deps));
  app.use(panelsRouter(deps));
  app.use(reviewsRouter(deps));
  app.use(cohortsRouter(deps));
  app.use(voiceRouter(deps));
  app.use(adminRouter(deps));
  app.use('/api', (req, _res, next) => next(notFound(`route ${req.method} ${req.originalUrl}`)));
  if (web) app.use(web);
  app.use(errorMiddleware(deps.logger));
  return app;
}
