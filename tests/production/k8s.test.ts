// Every manifest under k8s/ (the base and each overlay, rendered the way kustomize does) against the
// Kubernetes 1.27 OpenAPI schemas from kubernetes-models, plus what the schemas let through: unknown
// fields, selectors that match nothing, references to objects that do not exist.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { ROOT } from './support.js';

type Obj = Record<string, unknown>;
interface Manifest extends Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
interface ModelClass {
  new (data: Obj): { validate(): void };
  prototype: { validate(): void };
}

const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': Ingress,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

const K8S = path.join(ROOT, 'k8s');
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function readManifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
      return d.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

function modelOf(m: Manifest): ModelClass {
  const model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!model) throw new Error(`no schema for ${m.apiVersion} ${m.kind} (${m.metadata?.name})`);
  return model;
}

/** Schema errors from kubernetes-models (`new Kind(obj).validate()`), as a message, or undefined. */
function schemaError(m: Manifest): string | undefined {
  try {
    new (modelOf(m))(m).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Fields the schema does not know. The generated validators read every property their schema
 * declares (and walk every key of free-form maps such as labels), so a key nobody read is unknown.
 * Objects of which no key was read are schema-less (free-form) and left alone.
 */
function unknownFields(m: Manifest): string[] {
  const read = new Map<object, Set<PropertyKey>>();
  const proxies = new WeakMap<object, unknown>();
  const wrap = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (proxies.has(value)) return proxies.get(value);
    const seen = new Set<PropertyKey>();
    read.set(value, seen);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        seen.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      ownKeys(target) {
        for (const k of Reflect.ownKeys(target)) seen.add(k);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  try {
    modelOf(m).prototype.validate.call(wrap(m));
  } catch {
    // Schema errors are reported by schemaError; here only reads matter.
  }
  const unknown: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${at}[${i}]`));
    if (!isObj(value)) return;
    const seen = read.get(value);
    for (const [k, v] of Object.entries(value)) {
      if (seen && seen.size > 0 && !seen.has(k)) unknown.push(`${at}.${k}`);
      walk(v, `${at}.${k}`);
    }
  };
  walk(m, m.kind);
  return unknown;
}

const podTemplateLabels = (m: Manifest) =>
  ((m.spec as Obj | undefined)?.template as { metadata?: { labels?: Record<string, string> } } | undefined)
    ?.metadata?.labels;
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector &&
  !!labels &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** What a cluster would also refuse or silently get wrong, beyond the schema. */
function referenceErrors(all: Manifest[], opts: { secretsExist: boolean }): string[] {
  const errors: string[] = [];
  const byKind = (kind: string) => all.filter((m) => m.kind === kind);
  const has = (kind: string, name: string) => byKind(kind).some((m) => m.metadata.name === name);
  const workloads = all.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet');
  for (const w of workloads) {
    const spec = w.spec as { selector: { matchLabels?: Record<string, string> }; template: { spec: Obj } };
    if (!matches(spec.selector.matchLabels, podTemplateLabels(w)))
      errors.push(`${w.kind}/${w.metadata.name}: selector does not match the pod template's labels`);
    const pod = spec.template.spec as {
      containers: {
        name: string;
        ports?: { name?: string }[];
        envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
        [probe: string]: unknown;
      }[];
      volumes?: { persistentVolumeClaim?: { claimName: string } }[];
    };
    for (const c of pod.containers) {
      const ports = new Set((c.ports ?? []).map((p) => p.name));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = (c[probe] as { httpGet?: { port: unknown } } | undefined)?.httpGet?.port;
        if (typeof port === 'string' && !ports.has(port))
          errors.push(`${w.metadata.name}/${c.name}: ${probe} uses unknown port "${port}"`);
      }
      for (const from of c.envFrom ?? []) {
        if (from.configMapRef && !has('ConfigMap', from.configMapRef.name))
          errors.push(`${w.metadata.name}/${c.name}: no ConfigMap ${from.configMapRef.name}`);
        if (opts.secretsExist && from.secretRef && !has('Secret', from.secretRef.name))
          errors.push(`${w.metadata.name}/${c.name}: no Secret ${from.secretRef.name}`);
      }
    }
    for (const v of pod.volumes ?? []) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (claim && !has('PersistentVolumeClaim', claim))
        errors.push(`${w.metadata.name}: no PersistentVolumeClaim ${claim}`);
    }
  }
  for (const s of byKind('Service')) {
    const selector = (s.spec as { selector?: Record<string, string> }).selector;
    if (!workloads.some((w) => matches(selector, podTemplateLabels(w))))
      errors.push(`Service/${s.metadata.name}: selects no workload`);
  }
  for (const p of byKind('PodDisruptionBudget')) {
    const selector = (p.spec as { selector: { matchLabels?: Record<string, string> } }).selector.matchLabels;
    if (!workloads.some((w) => matches(selector, podTemplateLabels(w))))
      errors.push(`PodDisruptionBudget/${p.metadata.name}: selects no workload`);
  }
  for (const h of byKind('HorizontalPodAutoscaler')) {
    const target = (h.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
    if (!has(target.kind, target.name))
      errors.push(`HorizontalPodAutoscaler/${h.metadata.name}: no ${target.kind} ${target.name}`);
  }
  for (const i of byKind('Ingress')) {
    const rules = (i.spec as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] })
      .rules;
    for (const p of rules.flatMap((r) => r.http.paths))
      if (!has('Service', p.backend.service.name))
        errors.push(`Ingress/${i.metadata.name}: no Service ${p.backend.service.name}`);
  }
  const ids = all.map((m) => `${m.kind}/${m.metadata.name}`);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i)))
    errors.push(`${id} is defined twice`);
  return errors;
}

// A small kustomize: the fields our kustomizations use, with kustomize's semantics for them. Any
// other field fails the test rather than being ignored.
const KUSTOMIZE_FIELDS = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'labels',
  'resources',
  'images',
  'patches',
  'generatorOptions',
  'secretGenerator',
]);

/** Strategic merge as kustomize does it for our patches: maps merge, lists of named items merge by name. */
function merge(base: unknown, patch: unknown): unknown {
  if (isObj(base) && isObj(patch)) {
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = k in base ? merge(base[k], v) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch) && patch.every((p) => isObj(p) && 'name' in p)) {
    const out = [...base] as Obj[];
    for (const p of patch as Obj[]) {
      const i = out.findIndex((b) => isObj(b) && b.name === p.name);
      if (i >= 0) out[i] = merge(out[i], p) as Obj;
      else out.push(p);
    }
    return out;
  }
  return patch;
}

interface Kustomization {
  namespace?: string;
  labels?: { pairs: Record<string, string> }[];
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string }[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
  secretGenerator?: { name: string; literals?: string[] }[];
}

function build(dir: string): Manifest[] {
  const k = parse(readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization;
  for (const key of Object.keys(k))
    if (!KUSTOMIZE_FIELDS.has(key))
      throw new Error(`${dir}: kustomization field ${key} is not supported here`);
  let out: Manifest[] = [];
  for (const r of k.resources ?? []) {
    const p = path.join(dir, r);
    out.push(...(statSync(p).isDirectory() ? build(p) : readManifests(p)));
  }
  if (k.secretGenerator && !k.generatorOptions?.disableNameSuffixHash)
    throw new Error(`${dir}: generated names get a hash suffix; set generatorOptions.disableNameSuffixHash`);
  for (const g of k.secretGenerator ?? []) {
    const data = Object.fromEntries(
      (g.literals ?? []).map((l) => [
        l.slice(0, l.indexOf('=')),
        Buffer.from(l.slice(l.indexOf('=') + 1)).toString('base64'),
      ]),
    );
    out.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: g.name }, type: 'Opaque', data });
  }
  for (const { path: file } of k.patches ?? []) {
    for (const patch of readManifests(path.join(dir, file))) {
      const i = out.findIndex((m) => m.kind === patch.kind && m.metadata.name === patch.metadata.name);
      if (i < 0) throw new Error(`${dir}/${file}: no ${patch.kind} ${patch.metadata.name} to patch`);
      out[i] = merge(out[i], patch) as Manifest;
    }
  }
  out = out.map((m) => {
    const copy = structuredClone(m);
    if (k.namespace) copy.metadata.namespace = k.namespace;
    for (const { pairs } of k.labels ?? []) copy.metadata.labels = { ...copy.metadata.labels, ...pairs };
    const containers = (
      (copy.spec as Obj | undefined)?.template as { spec?: { containers?: { image: string }[] } } | undefined
    )?.spec?.containers;
    for (const c of containers ?? []) {
      const [name, tag] = c.image.split(/:(?=[^/]*$)/);
      const img = k.images?.find((i) => i.name === name);
      if (img) c.image = `${img.newName ?? name}:${img.newTag ?? tag}`;
    }
    return copy;
  });
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? yamlFiles(path.join(dir, e.name))
      : e.name.endsWith('.yaml') && e.name !== 'kustomization.yaml'
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('the checks catch what they should', () => {
  const [schema, fields, selector] = readManifests(
    path.join(ROOT, 'tests/production/fixtures/broken-deployment.yaml'),
  );

  it('kubernetes-models refuses wrong types and missing required fields', () => {
    const error = schemaError(schema!);
    expect(error).toMatch(/replicas/);
    expect(error).toMatch(/name/);
    expect(error).toMatch(/containerPort/);
  });

  it('the unknown-field check names every misspelt field the schema lets through', () => {
    expect(schemaError(fields!)).toBeUndefined();
    expect(unknownFields(fields!)).toEqual([
      'Deployment.spec.template.spec.containers[0].imagePullPolcy',
      'Deployment.spec.template.spec.containers[0].resources.limit',
      'Deployment.spec.template.spec.containers[0].readinessProbe.periodSecond',
    ]);
  });

  it('the reference check finds a selector that matches no pod', () => {
    expect(schemaError(selector!)).toBeUndefined();
    expect(unknownFields(selector!)).toEqual([]);
    expect(referenceErrors([selector!], { secretsExist: false })).toEqual([
      "Deployment/broken-selector: selector does not match the pod template's labels",
    ]);
  });

  it('free-form maps (labels, annotations, data) are not mistaken for unknown fields', () => {
    const cm: Manifest = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'x',
        labels: { anything: 'goes' },
        annotations: { 'a/b': 'c' },
      } as Manifest['metadata'],
      data: { SOME_KEY: 'v' },
    };
    expect(unknownFields(cm)).toEqual([]);
  });
});

describe('k8s/ manifests', () => {
  const files = yamlFiles(K8S);

  it('every YAML document under k8s/ is valid to the 1.27 schema, with no unknown field', () => {
    expect(files.length).toBeGreaterThan(8);
    const problems: string[] = [];
    for (const file of files) {
      for (const m of readManifests(file)) {
        const rel = `${path.relative(ROOT, file)} ${m.kind}/${m.metadata?.name}`;
        // Patches are partial by nature: they are validated once applied (below).
        if (path.relative(K8S, file).startsWith('overlays') && !file.endsWith('postgres.yaml')) continue;
        const error = schemaError(m);
        if (error) problems.push(`${rel}: ${error}`);
        for (const f of unknownFields(m)) problems.push(`${rel}: unknown field ${f}`);
      }
    }
    expect(problems).toEqual([]);
  });

  for (const overlay of ['base', 'overlays/dev', 'overlays/prod']) {
    it(`${overlay} renders to valid, consistent manifests`, () => {
      const out = build(path.join(K8S, overlay));
      const problems: string[] = [];
      for (const m of out) {
        const error = schemaError(m);
        if (error) problems.push(`${m.kind}/${m.metadata.name}: ${error}`);
        for (const f of unknownFields(m)) problems.push(`${m.kind}/${m.metadata.name}: unknown field ${f}`);
      }
      // The base and prod leave the Secret to the operator; dev generates it.
      problems.push(...referenceErrors(out, { secretsExist: overlay === 'overlays/dev' }));
      expect(problems).toEqual([]);

      const kinds = out.map((m) => `${m.kind}/${m.metadata.name}`);
      for (const want of [
        'Deployment/interview-helper-api',
        'Deployment/interview-helper-worker',
        'Service/interview-helper-api',
        'HorizontalPodAutoscaler/interview-helper-api',
        'HorizontalPodAutoscaler/interview-helper-worker',
        'PodDisruptionBudget/interview-helper-api',
        'PodDisruptionBudget/interview-helper-worker',
        'StatefulSet/chroma',
        'Ingress/interview-helper',
        'ConfigMap/interview-helper-config',
      ])
        expect(kinds).toContain(want);
      if (overlay !== 'base') {
        expect(new Set(out.map((m) => m.metadata.namespace)).size).toBe(1);
        for (const m of out.filter((m) => m.kind === 'Deployment'))
          expect(JSON.stringify(m)).not.toContain(':latest');
      }
    });
  }

  it('the API probes /readyz and /healthz, every container has requests and limits', () => {
    const out = build(path.join(K8S, 'overlays/prod'));
    const api = out.find((m) => m.metadata.name === 'interview-helper-api' && m.kind === 'Deployment')!;
    const c = (api.spec as { template: { spec: { containers: Obj[] } } }).template.spec.containers[0]!;
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz' } });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz' } });
    for (const w of out.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')) {
      for (const container of (w.spec as { template: { spec: { containers: Obj[] } } }).template.spec
        .containers) {
        expect(container.resources, w.metadata.name).toMatchObject({
          requests: { cpu: expect.anything(), memory: expect.anything() },
          limits: { cpu: expect.anything(), memory: expect.anything() },
        });
      }
    }
    const chroma = out.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'chroma')!;
    expect((chroma.spec as { volumeClaimTemplates: unknown[] }).volumeClaimTemplates).toHaveLength(1);
    const ingress = out.find((m) => m.metadata.name === 'interview-helper')!;
    expect(ingress.metadata).toMatchObject({
      annotations: {
        'nginx.ingress.kubernetes.io/proxy-buffering': 'off',
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '3600',
      },
    });
  });
});
