// Runs the real nginx and Prometheus from Debian folder-local, on free ports, with this repo's configs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { ROOT, freePort, stopChild, tempDir, waitFor, type Service } from '../support/processes.js';

export { ROOT };

/** Renders the site template as the official image's entrypoint does (envsubst of the named variables). */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  const out = text.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name: string) => vars[name] ?? whole);
  const left = /\$\{[A-Z_][A-Z0-9_]*\}/.exec(out);
  if (left) throw new Error(`template variable ${left[0]} has no value`);
  return out;
}

/**
 * nginx/nginx.conf with its writable paths moved into `dir`: the file keeps every writable path under
 * /tmp (it runs unprivileged), so `/tmp/` becomes `dir/`; logs go to files; conf.d is dir/conf.d.
 */
export function folderLocalNginxConf(dir: string, mainConf: string): string {
  const edits: [RegExp, string][] = [
    [/^(\s*\w+ )\/tmp\//gm, `$1${dir}/`],
    [/^(\s*error_log )\/dev\/stderr/m, `$1${dir}/error.log`],
    [/^(\s*access_log )\/dev\/stdout/m, `$1${dir}/access.log`],
    [/^(\s*include )\/etc\/nginx\/conf\.d\//m, `$1${dir}/conf.d/`],
  ];
  return edits.reduce((conf, [re, to]) => {
    if (!re.test(conf)) throw new Error(`nginx/nginx.conf: no line matches ${re}`);
    re.lastIndex = 0;
    return conf.replace(re, to);
  }, mainConf);
}

export interface Nginx extends Service {
  dir: string;
  log(): string;
}

/** Starts nginx in front of `upstream` (host:port); `edit` may alter the rendered site (negative controls). */
export async function startNginx(
  upstream: string,
  edit: (site: string) => string = (s) => s,
): Promise<Nginx> {
  const dir = tempDir('nginx');
  // Worker processes run as `nobody` when the tests run as root: they must reach the temp paths.
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'conf.d'));
  const port = await freePort();
  const site = renderTemplate(
    readFileSync(path.join(ROOT, 'nginx/templates/default.conf.template'), 'utf8'),
    {
      NGINX_PORT: `127.0.0.1:${port}`,
      API_UPSTREAM: upstream,
    },
  );
  writeFileSync(path.join(dir, 'conf.d/default.conf'), edit(site));
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, folderLocalNginxConf(dir, readFileSync(path.join(ROOT, 'nginx/nginx.conf'), 'utf8')));

  const test = spawnSync('nginx', ['-t', '-q', '-p', dir, '-c', conf], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t failed:\n${test.stderr}`);
  const out = openSync(path.join(dir, 'nginx.out'), 'a');
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', out, out] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'nginx',
      async () => (await fetch(`${url}/nginx-health`)).ok,
      15_000,
      path.join(dir, 'error.log'),
    );
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    url,
    port,
    dir,
    log: () => readFileSync(path.join(dir, 'error.log'), 'utf8'),
    // nginx: SIGQUIT is the graceful stop; SIGTERM the fast one. Tests want fast.
    stop: () => stopChild(child, 'SIGTERM'),
  };
}

export interface Prometheus extends Service {
  query(expr: string): Promise<PromResult>;
}

export interface PromResult {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/**
 * Starts Prometheus with observability/prometheus.yml, its targets pointed at `targets` (job name to
 * host:port list), scraping and evaluating every second, with the repo's rule files.
 */
export async function startPrometheus(targets: Record<string, string[]>): Promise<Prometheus> {
  const dir = tempDir('prometheus');
  const port = await freePort();
  const config = parse(readFileSync(path.join(ROOT, 'observability/prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };
  config.global.scrape_interval = '1s';
  config.global.evaluation_interval = '1s';
  config.rule_files = config.rule_files.map((f) => path.join(ROOT, 'observability', f));
  for (const job of config.scrape_configs) {
    const t = targets[job.job_name];
    if (!t) throw new Error(`no test target for scrape job ${job.job_name}`);
    job.static_configs = [{ targets: t }];
  }
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, stringify(config));
  const log = path.join(dir, 'prometheus.log');
  const out = openSync(log, 'a');
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${file}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', out, out] },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor('Prometheus', async () => (await fetch(`${url}/-/ready`)).ok, 30_000, log);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    url,
    port,
    stop: () => stopChild(child),
    async query(expr: string) {
      const res = await fetch(`${url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: expr }),
      });
      return (await res.json()) as PromResult;
    },
  };
}
