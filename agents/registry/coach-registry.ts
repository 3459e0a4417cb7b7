// Coach versions in the MLflow model registry: the registered model "coach", one model version per prompt set,
// and the alias `production` on the version the app runs. Each version carries the whole CoachVersion JSON
// (agents/versions.ts) in its tag `coach_version`; its source is a run of the experiment
// "interview-helper-coach" that records the version's name, model and temperature as params.
// Promoting moves the alias and remembers the version it left in the registered model's tag
// `previous_production`; rolling back moves the alias there (and remembers the one it left, so a second
// rollback undoes the first).
// Without MLFLOW_TRACKING_URI, or when the registry cannot serve a valid version, the app runs the repo's
// agents/prompts/coach-prompts@1.json.
import { DEFAULT_COACH_VERSION, parseCoachVersion, type CoachVersion } from '../versions.js';
import { MlflowClient, type MlflowModelVersion } from './mlflow.js';

export const COACH_MODEL = 'coach';
export const PRODUCTION_ALIAS = 'production';
export const VERSION_TAG = 'coach_version';
export const PREVIOUS_TAG = 'previous_production';
export const COACH_EXPERIMENT = 'interview-helper-coach';

export interface LoadedCoachVersion {
  version: CoachVersion;
  /** Where it came from: the registry's `production` alias, or the repo file. */
  source: 'mlflow' | 'repo';
  /** The registry version number behind the alias, when source is mlflow. */
  registryVersion: string | null;
  /** Why the registry's version was not loaded although a tracking URI is set. */
  warning: string | null;
  loadedAt: string;
}

const tagOf = (v: MlflowModelVersion, key: string) => v.tags?.find((t) => t.key === key)?.value;

/** The version's CoachVersion; throws when the tag is missing or invalid. */
export function coachVersionOf(v: MlflowModelVersion): CoachVersion {
  const json = tagOf(v, VERSION_TAG);
  if (!json) throw new Error(`coach version ${v.version} has no "${VERSION_TAG}" tag`);
  return parseCoachVersion(json);
}

const repo = (warning: string | null): LoadedCoachVersion => ({
  version: DEFAULT_COACH_VERSION,
  source: 'repo',
  registryVersion: null,
  warning,
  loadedAt: new Date().toISOString(),
});

/**
 * The coach version to run: the registry's `production` version when a tracking URI is given, else the repo
 * file. Never throws: any failure (unreachable server, no alias, an invalid version) falls back to the repo
 * file and is reported through `warn` and the result's `warning`.
 */
export async function loadCoachVersion(
  options: {
    trackingUri?: string;
    timeoutMs?: number;
    warn?: (message: string) => void;
  } = {},
): Promise<LoadedCoachVersion> {
  if (!options.trackingUri) return repo(null);
  const client = new MlflowClient(options.trackingUri, options.timeoutMs ?? 5_000);
  let warning: string;
  try {
    const v = await client.getModelVersionByAlias(COACH_MODEL, PRODUCTION_ALIAS);
    if (v) {
      return {
        version: coachVersionOf(v),
        source: 'mlflow',
        registryVersion: v.version,
        warning: null,
        loadedAt: new Date().toISOString(),
      };
    }
    warning = `the MLflow model "${COACH_MODEL}" has no @${PRODUCTION_ALIAS} version`;
  } catch (err) {
    const cause = (err as Error).cause as Error | undefined; // fetch's "fetch failed" names why in its cause
    const reason = `${(err as Error).message}${cause?.message ? ` (${cause.message})` : ''}`;
    warning = `cannot load the ${COACH_MODEL}@${PRODUCTION_ALIAS} version from MLflow at ${options.trackingUri}: ${reason}`;
  }
  options.warn?.(`${warning}; using the repo's ${DEFAULT_COACH_VERSION.version}`);
  return repo(warning);
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

async function moveAlias(client: MlflowClient, to: string): Promise<{ from: string | null; to: string }> {
  // Refuse a version the app could not load: it would silently fall back to the repo prompts.
  coachVersionOf(await client.getModelVersion(COACH_MODEL, to));
  const current = await client.getModelVersionByAlias(COACH_MODEL, PRODUCTION_ALIAS);
  await client.setModelAlias(COACH_MODEL, PRODUCTION_ALIAS, to);
  if (current && current.version !== to) {
    await client.setRegisteredModelTag(COACH_MODEL, PREVIOUS_TAG, current.version);
  }
  return { from: current?.version ?? null, to };
}

/** Points `production` at version n, remembering the version it pointed at for rollback. */
export async function promoteCoach(
  trackingUri: string,
  version: string | number,
): Promise<{ from: string | null; to: string }> {
  const n = String(version);
  if (!/^[1-9]\d*$/.test(n)) throw new Error(`not a version number: "${n}"`);
  return moveAlias(new MlflowClient(trackingUri), n);
}

/** Points `production` back at the version it pointed at before the last promote or rollback. */
export async function rollbackCoach(trackingUri: string): Promise<{ from: string | null; to: string }> {
  const client = new MlflowClient(trackingUri);
  const model = await client.getRegisteredModel(COACH_MODEL);
  const previous = model.tags?.find((t) => t.key === PREVIOUS_TAG)?.value;
  if (!previous) throw new Error(`nothing to roll back to: "${COACH_MODEL}" has no ${PREVIOUS_TAG} tag`);
  return moveAlias(client, previous);
}

export interface CoachRegistryEntry {
  registryVersion: string;
  /** The CoachVersion's own name, e.g. coach-prompts@2; null when the version's tag is invalid. */
  version: string | null;
  model: string | null;
  temperature: number | null;
  aliases: string[];
  created: string | null;
  error: string | null;
}

/** Every registered coach version, newest first, with its aliases. */
export async function listCoachVersions(trackingUri: string): Promise<CoachRegistryEntry[]> {
  const client = new MlflowClient(trackingUri);
  const model = await client.getRegisteredModel(COACH_MODEL);
  const versions = await client.searchModelVersions(COACH_MODEL);
  return versions.map((v) => {
    const aliases = (model.aliases ?? []).filter((a) => a.version === v.version).map((a) => a.alias);
    const created = v.creation_timestamp ? new Date(v.creation_timestamp).toISOString() : null;
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
      const error = (err as Error).message;
      return {
        registryVersion: v.version,
        version: null,
        model: null,
        temperature: null,
        aliases,
        created,
        error,
      };
    }
  });
}
