// A registered model of the MLflow registry that the app serves through an alias: the alias `production`
// names the version the app runs, the registered model's tag `previous_production` the version a rollback
// returns to. The coach's prompt sets (coach-registry.ts) and the trained judgement's weights
// (judgement-registry.ts) are two such models; this file is what they share: load with a fallback that never
// throws, move the alias (promote, rollback), list the versions with their aliases.
import { MlflowClient, MlflowError, type MlflowModelVersion, type MlflowRegisteredModel } from './mlflow.js';

export const PRODUCTION_ALIAS = 'production';
export const PREVIOUS_TAG = 'previous_production';

/** What the app serves of one registered model, and how to read a version of it. */
export interface AliasedModel<T> {
  /** The registered model's name in MLflow. */
  name: string;
  /** What runs without the registry: the repo's copy, and how messages name it. */
  fallback: { name: string; value: () => T };
  /**
   * The version's value, checked as the app will use it; throws, naming what is wrong, when the app could not
   * serve it. Promote calls it first, so the alias never moves to a version the app would refuse.
   */
  read(client: MlflowClient, version: MlflowModelVersion): Promise<T>;
}

/** Where the served value came from; a registry version always has its number, the repo copy none. */
export type ServedFrom =
  { source: 'mlflow'; registryVersion: string } | { source: 'repo'; registryVersion: null };

/** What was loaded, from where, and when; the value itself aside. */
export type ServedInfo = ServedFrom & {
  /**
   * Why the registry's `production` version is not what runs although a tracking URI is set (at start: the
   * repo copy runs; on a failed reload: the version loaded before keeps running). Null when it is.
   */
  warning: string | null;
  loadedAt: string;
};

export type Served<T> = ServedInfo & { value: T };

/** An alias move: the version `production` pointed at before (null: none) and the one it points at now. */
export interface AliasMove {
  from: string | null;
  to: string;
}

const now = () => new Date().toISOString();

export const tagOf = (v: { tags?: { key: string; value: string }[] }, key: string): string | undefined =>
  v.tags?.find((t) => t.key === key)?.value;

/** An error's message with fetch's cause ("fetch failed" names why only in its cause). */
export function reasonOf(err: unknown): string {
  const cause = (err as Error).cause as Error | undefined;
  return `${(err as Error).message}${cause?.message ? ` (${cause.message})` : ''}`;
}

/**
 * The value to serve: the registry's `production` version when a tracking URI is given, else the repo copy.
 * Never throws: any failure (unreachable server, no alias, a version `read` refuses) falls back to the repo
 * copy and is reported through `warn` and the result's `warning`.
 */
export async function loadServed<T>(
  model: AliasedModel<T>,
  options: { trackingUri?: string; timeoutMs?: number; warn?: (message: string) => void } = {},
): Promise<Served<T>> {
  const repo = (warning: string | null): Served<T> => ({
    source: 'repo',
    registryVersion: null,
    value: model.fallback.value(),
    warning,
    loadedAt: now(),
  });
  if (!options.trackingUri) return repo(null);
  const client = new MlflowClient(options.trackingUri, options.timeoutMs ?? 5_000);
  let warning: string;
  try {
    const v = await client.getModelVersionByAlias(model.name, PRODUCTION_ALIAS);
    if (v) {
      const value = await model.read(client, v);
      return { source: 'mlflow', registryVersion: v.version, value, warning: null, loadedAt: now() };
    }
    warning = `the MLflow model "${model.name}" has no @${PRODUCTION_ALIAS} version`;
  } catch (err) {
    warning = `cannot load the ${model.name}@${PRODUCTION_ALIAS} version from MLflow at ${options.trackingUri}: ${reasonOf(err)}`;
  }
  options.warn?.(`${warning}; using the repo's ${model.fallback.name}`);
  return repo(warning);
}

/**
 * Points `production` at version `to`, remembering the version it left for rollback. Refuses a version the
 * app could not serve (`read` throws), and whatever `check` refuses (given the candidate and the current
 * production version, if any).
 */
export async function moveAlias<T>(
  client: MlflowClient,
  model: AliasedModel<T>,
  to: string,
  check?: (candidate: MlflowModelVersion, current: MlflowModelVersion | undefined) => Promise<void>,
): Promise<AliasMove> {
  if (!/^[1-9]\d*$/.test(to)) throw new Error(`not a version number: "${to}"`);
  const candidate = await client.getModelVersion(model.name, to);
  await model.read(client, candidate);
  const current = await client.getModelVersionByAlias(model.name, PRODUCTION_ALIAS);
  await check?.(candidate, current);
  await client.setModelAlias(model.name, PRODUCTION_ALIAS, to);
  if (current && current.version !== to) {
    await client.setRegisteredModelTag(model.name, PREVIOUS_TAG, current.version);
  }
  return { from: current?.version ?? null, to };
}

/** The version a rollback returns to: the registered model's `previous_production` tag. */
export async function previousVersion(client: MlflowClient, name: string): Promise<string | null> {
  return tagOf(await client.getRegisteredModel(name), PREVIOUS_TAG) ?? null;
}

/** Points `production` back at the version it left at the last promote or rollback (so a second undoes it). */
export async function rollbackAlias<T>(client: MlflowClient, model: AliasedModel<T>): Promise<AliasMove> {
  const previous = await previousVersion(client, model.name);
  if (!previous) throw new Error(`nothing to roll back to: "${model.name}" has no ${PREVIOUS_TAG} tag`);
  return moveAlias(client, model, previous);
}

export interface ListedVersion {
  version: MlflowModelVersion;
  aliases: string[];
  created: string | null;
}

/** Every version of the model, newest first, with the aliases that point at it; none before the first. */
export async function listVersions(client: MlflowClient, name: string): Promise<ListedVersion[]> {
  let model: MlflowRegisteredModel;
  try {
    model = await client.getRegisteredModel(name);
  } catch (err) {
    if (err instanceof MlflowError && err.errorCode === 'RESOURCE_DOES_NOT_EXIST') return [];
    throw err;
  }
  const versions = await client.searchModelVersions(name);
  return versions.map((v) => ({
    version: v,
    aliases: (model.aliases ?? []).filter((a) => a.version === v.version).map((a) => a.alias),
    created: v.creation_timestamp ? new Date(v.creation_timestamp).toISOString() : null,
  }));
}
