// Coach versions in the MLflow model registry: the registered model "coach", one model version per prompt set,
// and the alias `production` on the version the app runs. Each version carries the whole CoachVersion JSON
// (agents/versions.ts) in its tag `coach_version`; its source is a run of the experiment
// "interview-helper-coach" that records the version's name, model and temperature as params.
// Promoting moves the alias and remembers the version it left in the registered model's tag
// `previous_production`; rolling back moves the alias there (and remembers the one it left, so a second
// rollback undoes the first). The alias handling is aliased-model.ts, shared with the judgement's weights.
// Without MLFLOW_TRACKING_URI, or when the registry cannot serve a valid version, the app runs the repo's
// agents/prompts/coach-prompts@1.json.
import type { CoachRegistryVersion } from '../../contract/index.js';
import { DEFAULT_COACH_VERSION, parseCoachVersion, type CoachVersion } from '../versions.js';
import {
  listVersions,
  loadServed,
  moveAlias,
  rollbackAlias,
  tagOf,
  type AliasedModel,
  type AliasMove,
  type ServedInfo,
} from './aliased-model.js';
import { MlflowClient, type MlflowModelVersion } from './mlflow.js';

export { PREVIOUS_TAG, PRODUCTION_ALIAS } from './aliased-model.js';
export const COACH_MODEL = 'coach';
export const VERSION_TAG = 'coach_version';
export const COACH_EXPERIMENT = 'interview-helper-coach';

/** The coach version the app runs, where it came from (the registry's `production` alias, or the repo file). */
export type LoadedCoachVersion = ServedInfo & { version: CoachVersion };

/** The version's CoachVersion; throws when the tag is missing or invalid. */
export function coachVersionOf(v: MlflowModelVersion): CoachVersion {
  const json = tagOf(v, VERSION_TAG);
  if (!json) throw new Error(`coach version ${v.version} has no "${VERSION_TAG}" tag`);
  return parseCoachVersion(json);
}

const COACH: AliasedModel<CoachVersion> = {
  name: COACH_MODEL,
  fallback: { name: DEFAULT_COACH_VERSION.version, value: () => DEFAULT_COACH_VERSION },
  read: (_client, v) => Promise.resolve(coachVersionOf(v)),
};

/**
 * The coach version to run: the registry's `production` version when a tracking URI is given, else the repo
 * file. Never throws: any failure (unreachable server, no alias, an invalid version) falls back to the repo
 * file and is reported through `warn` and the result's `warning`.
 */
export async function loadCoachVersion(
  options: { trackingUri?: string; timeoutMs?: number; warn?: (message: string) => void } = {},
): Promise<LoadedCoachVersion> {
  const { value, ...served } = await loadServed(COACH, options);
  return { ...served, version: value };
}

/** Registers a new version of "coach" (creating the model on first use); returns its version number. */
export async function registerCoachVersion(trackingUri: string, input: CoachVersion): Promise<string> {
  const version = parseCoachVersion(input);
  const client = new MlflowClient(trackingUri);
  await client.ensureRegisteredModel(
    COACH_MODEL,
    "The interview coach's prompt set, model and parameters. The app runs @production.",
  );
  const experimentId = await client.getOrCreateExperiment(COACH_EXPERIMENT);
  const run = await client.createRun(experimentId, {
    runName: `register ${version.version}`,
    tags: { 'mlflow.source.name': 'agents/registry/coach-registry.ts' },
  });
  await client.logBatch(run.run_id, {
    params: {
      prompt_version: version.version,
      model: version.model ?? '(LLM_MODEL)',
      temperature: version.temperature === undefined ? '(LLM_TEMPERATURE)' : String(version.temperature),
    },
  });
  await client.endRun(run.run_id);
  const created = await client.createModelVersion(COACH_MODEL, {
    source: `runs:/${run.run_id}/coach`,
    runId: run.run_id,
    description: version.version,
    tags: { [VERSION_TAG]: JSON.stringify(version), prompt_version: version.version },
  });
  return created.version;
}

/** Points `production` at version n, remembering the version it pointed at for rollback. */
export function promoteCoach(trackingUri: string, version: string | number): Promise<AliasMove> {
  return moveAlias(new MlflowClient(trackingUri), COACH, String(version));
}

/** Points `production` back at the version it pointed at before the last promote or rollback. */
export function rollbackCoach(trackingUri: string): Promise<AliasMove> {
  return rollbackAlias(new MlflowClient(trackingUri), COACH);
}

/** One registered coach version as GET /api/admin/coach/versions lists it (the contract's shape). */
export type CoachRegistryEntry = CoachRegistryVersion;

/** Every registered coach version, newest first, with its aliases. */
export async function listCoachVersions(trackingUri: string): Promise<CoachRegistryEntry[]> {
  const listed = await listVersions(new MlflowClient(trackingUri), COACH_MODEL);
  return listed.map(({ version: v, aliases, created }) => {
    try {
      const parsed = coachVersionOf(v);
      return {
        registryVersion: v.version,
        version: parsed.version,
        model: parsed.model ?? null,
        temperature: parsed.temperature ?? null,
        aliases,
        created,
        error: null,
      };
    } catch (err) {
      return {
        registryVersion: v.version,
        version: null,
        model: null,
        temperature: null,
        aliases,
        created,
        error: (err as Error).message,
      };
    }
  });
}
