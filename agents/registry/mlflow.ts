// A small MLflow tracking client over the REST API (no SDK): experiments, runs, params, metrics, tags and
// artifacts through the server's artifact proxy (`mlflow server --serve-artifacts`, the default since 2.x).
// https://mlflow.org/docs/latest/api_reference/rest-api.html

export interface MlflowRunInfo {
  run_id: string;
  experiment_id: string;
  run_name?: string;
  status: string;
  artifact_uri: string;
  start_time?: number;
  end_time?: number;
}

export interface MlflowRun {
  info: MlflowRunInfo;
  data: {
    params?: { key: string; value: string }[];
    metrics?: { key: string; value: number; timestamp: number; step: number }[];
    tags?: { key: string; value: string }[];
  };
}

export interface MlflowFileInfo {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/** A model registry version (`model-versions/get`, `registered-models/alias`). */
export interface MlflowModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  tags?: { key: string; value: string }[];
  aliases?: string[];
}

export interface MlflowRegisteredModel {
  name: string;
  description?: string;
  tags?: { key: string; value: string }[];
  aliases?: { alias: string; version: string }[];
}

export class MlflowError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string | undefined,
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

const entries = (record: Record<string, string>) =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

export class MlflowClient {
  readonly baseUrl: string;

  constructor(
    trackingUri: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.baseUrl = trackingUri.replace(/\/+$/, '');
  }

  private get<T>(endpoint: string, query: Record<string, string>): Promise<T> {
    return this.request<T>(`${endpoint}?${new URLSearchParams(query)}`, { method: 'GET' });
  }

  private post<T>(endpoint: string, body: unknown): Promise<T> {
    return this.request<T>(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(endpoint: string, init: RequestInit): Promise<T> {
    const send = () =>
      fetch(`${this.baseUrl}/api/2.0/mlflow/${endpoint}`, {
        ...init,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    // A read is sent again once when the connection fails: a pooled keep-alive connection the server has
    // just closed fails with "other side closed" although the server is up.
    const res = await send().catch((err: unknown) => {
      if (init.method === 'GET' && err instanceof TypeError) return send();
      throw err;
    });
    const text = await res.text();
    if (!res.ok) {
      let code: string | undefined;
      let message = text;
      try {
        const parsed = JSON.parse(text) as { error_code?: string; message?: string };
        code = parsed.error_code;
        message = parsed.message ?? text;
      } catch {
        // not JSON: keep the raw body
      }
      throw new MlflowError(`MLflow ${init.method} ${endpoint}: ${res.status} ${message}`, res.status, code);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** The experiment's id, creating it when it does not exist yet (tolerates a concurrent create). */
  async getOrCreateExperiment(name: string): Promise<string> {
    const existing = await this.getExperimentByName(name);
    if (existing) return existing;
    try {
      const created = await this.post<{ experiment_id: string }>('experiments/create', { name });
      return created.experiment_id;
    } catch (err) {
      if (err instanceof MlflowError && err.errorCode === 'RESOURCE_ALREADY_EXISTS') {
        const raced = await this.getExperimentByName(name);
        if (raced) return raced;
      }
      throw err;
    }
  }

  async getExperimentByName(name: string): Promise<string | undefined> {
    try {
      const res = await this.get<{ experiment: { experiment_id: string; lifecycle_stage: string } }>(
        'experiments/get-by-name',
        { experiment_name: name },
      );
      if (res.experiment.lifecycle_stage === 'deleted') {
        throw new Error(`MLflow experiment "${name}" is deleted: restore it or pick another name`);
      }
      return res.experiment.experiment_id;
    } catch (err) {
      if (err instanceof MlflowError && err.errorCode === 'RESOURCE_DOES_NOT_EXIST') return undefined;
      throw err;
    }
  }

  async createRun(
    experimentId: string,
    options: { runName?: string; tags?: Record<string, string>; startTime?: number } = {},
  ): Promise<MlflowRunInfo> {
    const res = await this.post<{ run: MlflowRun }>('runs/create', {
      experiment_id: experimentId,
      run_name: options.runName,
      start_time: options.startTime ?? Date.now(),
      tags: entries(options.tags ?? {}),
    });
    return res.run.info;
  }

  /** Params, metrics and tags in one call (MLflow's limits: 100 params, 1000 metrics, 100 tags a batch). */
  async logBatch(
    runId: string,
    batch: {
      params?: Record<string, string>;
      metrics?: Record<string, number>;
      tags?: Record<string, string>;
    },
  ): Promise<void> {
    const timestamp = Date.now();
    await this.post('runs/log-batch', {
      run_id: runId,
      params: entries(batch.params ?? {}),
      metrics: Object.entries(batch.metrics ?? {}).map(([key, value]) => ({
        key,
        value,
        timestamp,
        step: 0,
      })),
      tags: entries(batch.tags ?? {}),
    });
  }

  async endRun(runId: string, status: 'FINISHED' | 'FAILED' | 'KILLED' = 'FINISHED'): Promise<void> {
    await this.post('runs/update', { run_id: runId, status, end_time: Date.now() });
  }

  async getRun(runId: string): Promise<MlflowRun> {
    return (await this.get<{ run: MlflowRun }>('runs/get', { run_id: runId })).run;
  }

  async listArtifacts(runId: string, path = ''): Promise<MlflowFileInfo[]> {
    const res = await this.get<{ files?: MlflowFileInfo[] }>('artifacts/list', {
      run_id: runId,
      ...(path ? { path } : {}),
    });
    return res.files ?? [];
  }

  /** `PUT /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<file>`, built from the run's artifact_uri. */
  async uploadArtifact(
    artifactUri: string,
    artifactPath: string,
    body: string | Blob,
    contentType = 'application/octet-stream',
  ): Promise<void> {
    const res = await fetch(this.artifactUrl(artifactUri, artifactPath), {
      method: 'PUT',
      headers: { 'content-type': contentType },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) {
      throw new MlflowError(
        `MLflow artifact upload ${artifactPath}: ${res.status} ${await res.text()}`,
        res.status,
        undefined,
      );
    }
  }

  async downloadArtifact(artifactUri: string, artifactPath: string): Promise<string> {
    const res = await fetch(this.artifactUrl(artifactUri, artifactPath), {
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) {
      throw new MlflowError(`MLflow artifact download ${artifactPath}: ${res.status}`, res.status, undefined);
    }
    return res.text();
  }

  /**
   * The proxied artifact URL for a run whose artifact_uri is `mlflow-artifacts:/<exp>/<run>/artifacts`
   * (optionally with a host: `mlflow-artifacts://host:port/...`). Any other scheme means the server does not
   * proxy artifacts and the client would need direct access to the store: refuse with a clear message.
   */
  artifactUrl(artifactUri: string, artifactPath: string): string {
    const match = /^mlflow-artifacts:(?:\/\/[^/]+)?\/?(.*)$/.exec(artifactUri);
    if (!match) {
      throw new Error(
        `the run's artifact_uri "${artifactUri}" is not served by the tracking server: ` +
          'start `mlflow server` with --serve-artifacts (the default) and an --artifacts-destination',
      );
    }
    const base = match[1]!.replace(/\/+$/, '');
    const file = artifactPath.replace(/^\/+/, '');
    const encoded = `${base}/${file}`.split('/').map(encodeURIComponent).join('/');
    return `${this.baseUrl}/api/2.0/mlflow-artifacts/artifacts/${encoded}`;
  }

  // The model registry: registered models, their versions, tags and aliases.

  /** Creates the registered model unless it exists (tolerates a concurrent create). */
  async ensureRegisteredModel(name: string, description?: string): Promise<void> {
    try {
      await this.post('registered-models/create', { name, description });
    } catch (err) {
      if (!(err instanceof MlflowError && err.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw err;
    }
  }

  async getRegisteredModel(name: string): Promise<MlflowRegisteredModel> {
    return (await this.get<{ registered_model: MlflowRegisteredModel }>('registered-models/get', { name }))
      .registered_model;
  }

  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.post('registered-models/set-tag', { name, key, value });
  }

  async createModelVersion(
    name: string,
    options: { source: string; runId?: string; tags?: Record<string, string>; description?: string },
  ): Promise<MlflowModelVersion> {
    const res = await this.post<{ model_version: MlflowModelVersion }>('model-versions/create', {
      name,
      source: options.source,
      run_id: options.runId,
      tags: entries(options.tags ?? {}),
      description: options.description,
    });
    return res.model_version;
  }

  async getModelVersion(name: string, version: string): Promise<MlflowModelVersion> {
    return (await this.get<{ model_version: MlflowModelVersion }>('model-versions/get', { name, version }))
      .model_version;
  }

  /** Every version of a registered model, newest first (one page of up to 1000). */
  async searchModelVersions(name: string): Promise<MlflowModelVersion[]> {
    const res = await this.get<{ model_versions?: MlflowModelVersion[] }>('model-versions/search', {
      filter: `name='${name.replace(/'/g, "\\'")}'`,
      max_results: '1000',
    });
    return (res.model_versions ?? []).sort((a, b) => Number(b.version) - Number(a.version));
  }

  /** The version behind an alias; undefined when the model or the alias does not exist. */
  async getModelVersionByAlias(name: string, alias: string): Promise<MlflowModelVersion | undefined> {
    try {
      return (
        await this.get<{ model_version: MlflowModelVersion }>('registered-models/alias', { name, alias })
      ).model_version;
    } catch (err) {
      // MLflow answers a missing alias with INVALID_PARAMETER_VALUE, a missing model with RESOURCE_DOES_NOT_EXIST.
      if (
        err instanceof MlflowError &&
        (err.errorCode === 'RESOURCE_DOES_NOT_EXIST' ||
          (err.errorCode === 'INVALID_PARAMETER_VALUE' && /alias .* not found/i.test(err.message)))
      ) {
        return undefined;
      }
      throw err;
    }
  }

  async setModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.post('registered-models/alias', { name, alias, version });
  }
}
