// The coach's versions and its judgement weights in the MLflow registry, for the Admin page: list them,
// promote one to `production`, roll back. The same functions as `npm run admin -- coach ...` and
// `... judgement ...` (agents/registry/); after the alias moved, this process reloads what it runs (a separate
// worker process reloads on SIGHUP).
import type { CoachMove, CoachRegistry, JudgementMove, JudgementRegistry } from '../../contract/index.js';
import {
  COACH_MODEL,
  listCoachVersions,
  promoteCoach,
  rollbackCoach,
} from '../../agents/registry/coach-registry.js';
import {
  JUDGEMENT_MODEL,
  listJudgementVersions,
  promoteJudgement,
  rollbackJudgement,
} from '../../agents/registry/judgement-registry.js';
import { describeRegression } from '../../agents/registry/judgement-gate.js';
import { JUDGEMENT_EMBEDDER_ID } from '../../agents/judgement/embedder.js';
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

  async function move<M extends { from: string | null; to: string }>(
    fn: (uri: string) => Promise<M>,
    missing: () => DomainError,
  ) {
    let moved: M;
    try {
      moved = await fn(registry());
    } catch (err) {
      throw asDomain(err, missing);
    }
    return { ...moved, running: await deps.coachVersion.reload() };
  }

  /** A registered model's versions and rollback target; none yet is an empty list, not an error. */
  async function listed<V>(model: string, list: (uri: string) => Promise<V[]>) {
    if (!uri) return { configured: false, versions: [] as V[], previous: null };
    try {
      const previous = await previousVersion(new MlflowClient(uri, 5_000), model);
      return { configured: true, versions: await list(uri), previous };
    } catch (err) {
      if (isMissing(err)) return { configured: true, versions: [] as V[], previous: null };
      throw asDomain(err, () => notFound(`the registered model "${model}"`));
    }
  }

  const judgementOptions = { embedderId: JUDGEMENT_EMBEDDER_ID };

  return {
    versions: async (): Promise<CoachRegistry> => ({
      ...(await listed(COACH_MODEL, listCoachVersions)),
      ui,
    }),

    promote: (version: string): Promise<CoachMove> =>
      move(
        (u) => promoteCoach(u, version),
        () => notFound(`coach version ${version}`),
      ),

    rollback: (): Promise<CoachMove> =>
      move(
        (u) => rollbackCoach(u),
        () => conflict(`nothing to roll back to: no "${COACH_MODEL}" version is registered`),
      ),

    judgementVersions: (): Promise<JudgementRegistry> => listed(JUDGEMENT_MODEL, listJudgementVersions),

    /** Refused (409, naming each worse figure) when the version is worse on the test split, unless forced. */
    promoteJudgement: async (version: string, force: boolean): Promise<JudgementMove> => {
      const moved = await move(
        (u) => promoteJudgement(u, version, { ...judgementOptions, force }),
        () => notFound(`judgement version ${version}`),
      );
      return { ...moved, overridden: moved.overridden.map(describeRegression) };
    },

    rollbackJudgement: async (): Promise<JudgementMove> => ({
      ...(await move(
        (u) => rollbackJudgement(u, judgementOptions),
        () => conflict(`nothing to roll back to: no "${JUDGEMENT_MODEL}" version is registered`),
      )),
      overridden: [],
    }),
  };
}
