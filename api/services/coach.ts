// The coach's versions in the MLflow registry, for the Admin page: list them, promote one to `production`,
// roll back. The same functions as `npm run admin -- coach ...` (agents/registry/coach-registry.ts); after the
// alias moved, this process reloads the version it runs (a separate worker process reloads on SIGHUP).
import type { CoachMove, CoachRegistry } from '../../contract/index.js';
import {
  COACH_MODEL,
  listCoachVersions,
  promoteCoach,
  rollbackCoach,
} from '../../agents/registry/coach-registry.js';
import { previousVersion } from '../../agents/registry/aliased-model.js';
import { MlflowClient, MlflowError } from '../../agents/registry/mlflow.js';
import type { ApiDeps } from '../context.js';
import { DomainError, UpstreamFailed } from '../../core/errors.js';
import { conflict, notFound, unavailable } from '../errors.js';

const isMissing = (err: unknown) =>
  err instanceof MlflowError && (err.status === 404 || err.errorCode === 'RESOURCE_DOES_NOT_EXIST');

/** The registry's failures in domain terms: a missing version is NotFound, an unreachable server Unavailable. */
function asDomain(err: unknown, missing: () => DomainError): unknown {
  if (err instanceof DomainError) return err;
  if (isMissing(err)) return missing();
  if (err instanceof MlflowError)
    return new UpstreamFailed('the MLflow registry', err.message, { cause: err });
  if (err instanceof TypeError || (err instanceof Error && err.name === 'TimeoutError'))
    return unavailable(`the MLflow registry cannot be reached: ${err.message}`, 'the MLflow registry');
  // Refusals of the registry functions (nothing to roll back to, a version the app could not load).
  if (err instanceof Error) return conflict(err.message);
  return err;
}

export function createCoachAdminService(deps: ApiDeps) {
  const uri = deps.config.MLFLOW_TRACKING_URI;
  const ui = deps.config.MLFLOW_UI_URL || null;

  function registry(): string {
    if (!uri)
      throw conflict('no coach registry is configured: set MLFLOW_TRACKING_URI to move coach versions');
    return uri;
  }

  async function move(
    fn: (uri: string) => Promise<{ from: string | null; to: string }>,
    missing: () => DomainError,
  ) {
    let moved: { from: string | null; to: string };
    try {
      moved = await fn(registry());
    } catch (err) {
      throw asDomain(err, missing);
    }
    return { ...moved, running: await deps.coachVersion.reload() } satisfies CoachMove;
  }

  return {
    async versions(): Promise<CoachRegistry> {
      if (!uri) return { configured: false, versions: [], previous: null, ui };
      try {
        const previous = await previousVersion(new MlflowClient(uri, 5_000), COACH_MODEL);
        return { configured: true, versions: await listCoachVersions(uri), previous, ui };
      } catch (err) {
        // No version registered yet.
        if (isMissing(err)) return { configured: true, versions: [], previous: null, ui };
        throw asDomain(err, () => notFound(`the registered model "${COACH_MODEL}"`));
      }
    },

    promote: (version: string) =>
      move(
        (u) => promoteCoach(u, version),
        () => notFound(`coach version ${version}`),
      ),

    rollback: () =>
      move(
        (u) => rollbackCoach(u),
        () => conflict(`nothing to roll back to: no "${COACH_MODEL}" version is registered`),
      ),
  };
}
