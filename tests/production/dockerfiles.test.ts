// No Docker engine here: the Dockerfiles are linted (dockerfile-utils, every rule an error) and kept
// honest against the repo (what they COPY exists and is not .dockerignored; what they copy from the
// build stage is what `npm run setup` builds); compose.yaml is checked for shape and exposure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { ROOT } from './support.js';

const DOCKERFILES = readdirSync(path.join(ROOT, 'docker'))
  .filter((f) => f.endsWith('.Dockerfile'))
  .map((f) => `docker/${f}`);

const STRICT: ValidatorSettings = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
};

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

/** Instructions with continuation lines joined, grouped by stage. */
function stages(text: string): Stage[] {
  const out: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    const start = i + 1;
    if (!line || line.startsWith('#')) continue;
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = `${line.slice(0, -1).trim()} ${lines[++i]!.trim()}`;
    const [keyword, ...rest] = line.split(/\s+/);
    const ins = { keyword: keyword!.toUpperCase(), args: rest.join(' '), line: start };
    if (ins.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args)!;
      out.push({ from: m[1]!, name: m[2], instructions: [] });
    } else out.at(-1)!.instructions.push(ins);
  }
  return out;
}

/** COPY's options and sources (the last argument is the destination). */
function copyOf(args: string): { from?: string; sources: string[] } {
  const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const plain = words.filter((w) => !w.startsWith('--'));
  return { from, sources: plain.slice(0, -1) };
}

/** .dockerignore as Docker reads it: globs relative to the context, `!` re-includes, last match wins. */
function dockerignored(): (p: string) => boolean {
  const rules = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const glob = (negate ? l.slice(1) : l).replace(/^\/+|\/+$/g, '');
      const re = glob
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/');
      return { negate, re: new RegExp(`^${re}(/.*)?$`) };
    });
  return (p) => rules.reduce((ignored, r) => (r.re.test(p) ? !r.negate : ignored), false);
}

describe('Dockerfiles', () => {
  it('there is one per process', () => {
    expect(DOCKERFILES.sort()).toEqual(['docker/api.Dockerfile', 'docker/worker.Dockerfile']);
  });

  for (const file of DOCKERFILES) {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const all = stages(text);
    const final = all.at(-1)!;
    const finalKeywords = final.instructions.map((i) => i.keyword);

    it(`${file} lints clean with every dockerfile-utils rule as an error`, () => {
      const problems = validate(text, STRICT).map((d) => `${file}:${d.range.start.line + 1} ${d.message}`);
      expect(problems).toEqual([]);
    });

    it(`${file} is multi-stage, and its final image is node:20 slim running as a non-root user`, () => {
      expect(all.length).toBeGreaterThanOrEqual(2);
      expect(final.from).toMatch(/^node:20[\w.-]*-slim$/);
      const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
      expect(user?.args).toBeDefined();
      expect(user!.args).not.toMatch(/^(root|0)(:|$)/);
      // USER comes after the last RUN, so nothing later runs as root.
      expect(finalKeywords.lastIndexOf('USER')).toBeGreaterThan(finalKeywords.lastIndexOf('RUN'));
      expect(final.instructions.find((i) => i.keyword === 'HEALTHCHECK')).toBeDefined();
    });

    it(`${file} copies only what exists in the context and is not .dockerignored`, () => {
      const ignored = dockerignored();
      const stageNames = new Set(all.map((s) => s.name).filter(Boolean));
      const problems: string[] = [];
      for (const stage of all) {
        for (const ins of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
          const { from, sources } = copyOf(ins.args);
          if (from) {
            if (!stageNames.has(from)) problems.push(`line ${ins.line}: no stage "${from}"`);
            continue;
          }
          for (const src of sources) {
            if (src === '.') continue;
            if (!existsSync(path.join(ROOT, src))) problems.push(`line ${ins.line}: ${src} does not exist`);
            if (ignored(src)) problems.push(`line ${ins.line}: ${src} is excluded by .dockerignore`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it(`${file} takes from its build stage exactly what npm run setup builds here`, () => {
      // The build stage runs `node scripts/setup.mjs` in /app, as `npm test` and `npm start` do here:
      // what it produced in this checkout is what the image gets.
      const build = all.find((s) => s.name === 'build')!;
      expect(build.instructions.map((i) => i.args)).toContain('node scripts/setup.mjs');
      const fromBuild = final.instructions
        .filter((i) => i.keyword === 'COPY')
        .map((i) => copyOf(i.args))
        .filter((c) => c.from === 'build')
        .flatMap((c) => c.sources);
      expect(fromBuild.length).toBeGreaterThan(0);
      for (const src of fromBuild) {
        expect(src.startsWith('/app/'), src).toBe(true);
        expect(
          existsSync(path.join(ROOT, src.slice('/app/'.length))),
          `${src} (built by npm run setup)`,
        ).toBe(true);
      }
    });
  }

  it('the images start the processes the README names, with the API health-checked on /healthz', () => {
    const api = readFileSync(path.join(ROOT, 'docker/api.Dockerfile'), 'utf8');
    const worker = readFileSync(path.join(ROOT, 'docker/worker.Dockerfile'), 'utf8');
    expect(api).toMatch(/^CMD \["node", "--import", "tsx", "server\/serve.ts", "api"\]$/m);
    expect(worker).toMatch(/^CMD \["node", "--import", "tsx", "server\/serve.ts", "worker"\]$/m);
    expect(api).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(api).toContain('/app/web/build');
  });
});

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: unknown };
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('compose.yaml', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = compose.services;

  it('runs the whole production-like stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'api',
        'chroma',
        'grafana',
        'mlflow',
        'nginx',
        'postgres',
        'prometheus',
        'temporal',
        'temporal-ui',
        'worker',
      ].sort(),
    );
  });

  it('every service has an image or a build whose Dockerfile exists', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.image ?? s.build, name).toBeDefined();
      if (s.build) expect(existsSync(path.join(ROOT, s.build.context, s.build.dockerfile)), name).toBe(true);
    }
  });

  it('stateful services and the ones others wait on have health checks', () => {
    const waitedOn = Object.values(services).flatMap((s) =>
      Object.entries(s.depends_on ?? {})
        .filter(([, d]) => d.condition === 'service_healthy')
        .map(([n]) => n),
    );
    for (const name of new Set([
      'postgres',
      'temporal',
      'chroma',
      'prometheus',
      'grafana',
      'mlflow',
      'api',
      'nginx',
      ...waitedOn,
    ])) {
      expect(services[name]?.healthcheck?.test, name).toBeDefined();
    }
  });

  it('publishes nginx only; operator UIs on 127.0.0.1 only', () => {
    const optionalUis = new Set(['temporal-ui', 'prometheus', 'grafana', 'mlflow']);
    for (const [name, s] of Object.entries(services)) {
      if (name === 'nginx') {
        expect(s.ports).toEqual(['8080:8080']);
      } else if (optionalUis.has(name)) {
        for (const p of s.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
      } else {
        expect(s.ports, name).toBeUndefined();
      }
    }
  });

  it('mounts files that exist, and gives the API and the worker a configuration the app accepts', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (src.startsWith('./')) expect(existsSync(path.join(ROOT, src)), `${name}: ${src}`).toBe(true);
      }
    }
    // ${VAR:-default} as compose interpolates it with nothing set.
    const interpolate = (v: string) => v.replace(/\$\{\w+:-([^}]*)\}/g, '$1');
    for (const name of ['api', 'worker']) {
      const env = Object.fromEntries(
        Object.entries(services[name]!.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
      );
      const config = loadConfig(env);
      expect(config.DATABASE_URL, name).toMatch(/^postgres:\/\/.*@postgres:5432\//);
      expect(config.HOST, name).toBe('0.0.0.0');
    }
    expect(
      loadConfig({ WORKER_METRICS_PORT: services.worker!.environment!.WORKER_METRICS_PORT })
        .WORKER_METRICS_PORT,
    ).toBe(9464);
  });

  it('nginx and Prometheus find their targets by the compose service names', () => {
    expect(services.nginx!.environment!.API_UPSTREAM).toBe('api:3000');
    const prom = readFileSync(path.join(ROOT, 'observability/prometheus.yml'), 'utf8');
    expect(prom).toContain('api:3000');
    expect(prom).toContain(`worker:${services.worker!.environment!.WORKER_METRICS_PORT}`);
  });
});
