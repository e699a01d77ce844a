// The Dockerfiles' build and start steps, run outside Docker (no Docker engine here): each COPY
// into a temp folder laid out as the image, its `npm ci` (from the npm cache, --prefer-offline),
// then the ENTRYPOINT with the arguments docker-compose.yml gives it and its mounts laid out
// under the temp folder, checked with the HEALTHCHECK's own command; the same command must fail
// once the process is stopped.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_LISTEN_ADDRESS, parseListenAddress } from '../../exporter/src/flags.ts';
import {
  boundPort,
  DEMO_MODEL_LISTENING,
  EXPORTER_LISTENING,
  ROOT,
  spawnManaged,
  tempDir,
  waitFor,
  type Managed,
} from '../../testkit/index.ts';
import { execForm, readDockerfile, type Instruction } from './helpers.ts';
// @ts-expect-error: plain JavaScript without type declarations
import { EXPORTER_ENV, EXPORTER_NODE_FLAGS } from '../../exporter/scripts/node-flags.mjs';
// @ts-expect-error: plain JavaScript without type declarations
import { modelScore } from '../../examples/traffic-generator/credit.mjs';

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
const running: Managed[] = [];
const roots: string[] = [];
after(async () => {
  for (const p of running) await p.stop();
  for (const dir of roots) rmSync(dir, { recursive: true, force: true });
});

const one = (steps: Instruction[], keyword: string) => steps.filter((s) => s.keyword === keyword).at(-1)?.args;

interface Image {
  root: string; // the temp folder standing for the image's /
  workdir: string;
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  healthcheck: string[];
  user: string;
  expose: number[];
}

/**
 * Replays FROM … HEALTHCHECK of a Dockerfile whose build context is the repository root. Each
 * stage (`FROM … AS name`) gets its own temp root; `COPY --from=name` copies out of it; the
 * image is the last stage.
 */
function build(dockerfile: string): Image {
  const steps = readDockerfile(join(ROOT, dockerfile));
  const stages: Record<string, string> = {};
  let root = '';
  let workdir = '/';
  let env: Record<string, string> = {};
  let args: Record<string, string> = {};
  const expand = (s: string) => s.replace(/\$\{?(\w+)\}?/g, (_, n) => env[n] ?? args[n] ?? '');
  const npm = (command: string, extra: string[] = []) => {
    const result = spawnSync('npm', [...command.split(/\s+/).slice(1), ...extra], {
      cwd: join(root, workdir),
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    assert.equal(result.status, 0, `${dockerfile}: ${command}\n${result.stdout}${result.stderr}`);
  };
  for (const { keyword, args: rest } of steps) {
    if (keyword === 'FROM') {
      root = tempDir('image');
      roots.push(root);
      workdir = '/';
      env = {};
      args = {};
      const stage = /\s+AS\s+(\S+)$/i.exec(rest)?.[1];
      if (stage) stages[stage] = root;
      // The base image is a Node LTS (even major) no older than the one these tests run on, and
      // one the packages' engines admit (the code is kept working from Node 20 on).
      const major = Number(/^node:(\d+)/.exec(rest)?.[1]);
      assert.ok(major % 2 === 0 && major >= Number(process.versions.node.split('.')[0]), `${dockerfile}: FROM ${rest}`);
      const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
      assert.ok(major >= Number(/>=(\d+)/.exec(engines)![1]), `${dockerfile}: FROM ${rest} vs engines ${engines}`);
    } else if (keyword === 'ARG') {
      const [name, value = ''] = rest.split('=');
      args[name] = value;
    } else if (keyword === 'ENV') {
      for (const m of rest.matchAll(/(\w+)=("[^"]*"|\S+)/g)) env[m[1]] = expand(m[2].replace(/^"|"$/g, ''));
    } else if (keyword === 'WORKDIR') {
      workdir = rest.startsWith('/') ? rest : join(workdir, rest);
      mkdirSync(join(root, workdir), { recursive: true });
    } else if (keyword === 'COPY') {
      const from = /--from=(\S+)/.exec(rest)?.[1];
      const parts = rest.split(/\s+/).filter((p) => !p.startsWith('--'));
      const dest = parts.pop()!;
      const target = dest.startsWith('/') ? join(root, dest) : join(root, workdir, dest);
      for (const source of parts) {
        const origin = from ? join(stages[from], source) : join(ROOT, source);
        assert.ok(existsSync(origin), `${dockerfile}: COPY ${from ? `--from=${from} ` : ''}${source} does not exist`);
        const into = dest.endsWith('/') || parts.length > 1 ? join(target, source.split('/').pop()!) : target;
        mkdirSync(dirname(into), { recursive: true });
        cpSync(origin, into, { recursive: true });
      }
    } else if (keyword === 'RUN') {
      for (const command of rest.split('&&').map((c) => c.trim())) {
        // As in the image, plus --prefer-offline: the npm cache here is offline-capable.
        if (/^npm ci\b/.test(command)) npm(command, ['--prefer-offline']);
        else if (/^npm run build\b/.test(command)) npm(command);
        else if (/^mkdir -p /.test(command)) {
          for (const d of command.split(/\s+/).slice(2)) mkdirSync(join(root, d), { recursive: true });
        } else if (/^(chown|npm cache clean)\b/.test(command)) {
          // Ownership is the image's business; cleaning this machine's npm cache is not ours.
        } else {
          assert.fail(`${dockerfile}: RUN step this test cannot replay: ${command}`);
        }
      }
    }
  }
  return {
    root,
    workdir: join(root, workdir),
    env,
    entrypoint: execForm(one(steps, 'ENTRYPOINT')!),
    cmd: one(steps, 'CMD') ? execForm(one(steps, 'CMD')!) : [],
    healthcheck: execForm(one(steps, 'HEALTHCHECK')!.replace(/^.*?\bCMD\s+/, '')),
    user: one(steps, 'USER') ?? 'root',
    expose: (one(steps, 'EXPOSE') ?? '').split(/\s+/).filter(Boolean).map(Number),
  };
}

/** Runs the HEALTHCHECK's own command (node -e …) against `port` in place of the image's port. */
function healthcheck(image: Image, imagePort: number, port: number): number | null {
  const [command, ...rest] = image.healthcheck.map((a) => a.replaceAll(`:${imagePort}/`, `:${port}/`));
  assert.equal(command, 'node', 'Node images have no curl or wget: the health check must use node');
  return spawnSync(process.execPath, rest, { cwd: image.workdir, timeout: 10_000 }).status;
}

/** A container path of a compose service mapped into the temp image root, with its bind mounts copied. */
function mountInto(image: Image, service: { volumes?: string[] }) {
  for (const volume of service.volumes ?? []) {
    const [host, container] = volume.split(':');
    if (!host.startsWith('.')) {
      mkdirSync(join(image.root, container), { recursive: true }); // a named volume
      continue;
    }
    mkdirSync(dirname(join(image.root, container)), { recursive: true });
    cpSync(join(ROOT, host), join(image.root, container), { recursive: true });
  }
}

test('exporter/Dockerfile: npm ci --omit=dev, start as docker-compose.yml does, HEALTHCHECK on /-/healthy', async () => {
  const started = Date.now();
  const image = build('exporter/Dockerfile');
  const port = parseListenAddress(DEFAULT_LISTEN_ADDRESS).port;
  assert.deepEqual(image.expose, [port]);
  assert.notEqual(image.user.split(':')[0], 'root');
  assert.notEqual(image.user.split(':')[0], '0');
  // The built exporter with the Node.js flags npm start uses (source maps, the young generation's cap).
  assert.deepEqual(image.entrypoint, ['node', ...EXPORTER_NODE_FLAGS, 'exporter/bin/mlmon-exporter.mjs']);
  for (const [name, value] of Object.entries(EXPORTER_ENV)) assert.equal(image.env[name], value, `ENV ${name}`);
  assert.ok(image.healthcheck.join(' ').includes(`127.0.0.1:${port}/-/healthy`));
  // Production dependencies only: the built JavaScript, no tsx and no TypeScript sources.
  const modules = join(image.workdir, 'node_modules');
  assert.ok(!existsSync(join(modules, 'tsx')), 'tsx is a dev tool');
  assert.ok(!existsSync(join(image.workdir, 'exporter/src')), 'no sources in the image');
  assert.ok(existsSync(join(image.workdir, 'exporter/dist/exporter.js')), 'the built exporter');
  assert.ok(existsSync(join(modules, 'fastify')));
  for (const dev of ['@types/node', 'jest', 'webpack', '@grafana/ui', 'eslint'])
    assert.ok(!existsSync(join(modules, dev)), `${dev} is a dev or plugin dependency`);

  // docker-compose.yml's exporter: its command and mounts, on a free loopback port.
  const service = compose.services.exporter;
  assert.equal(service.build.dockerfile, 'exporter/Dockerfile');
  mountInto(image, service);
  const args = (service.command as string[]).map((a) =>
    a
      .replace(/^(--[\w.]+=)\//, `$1${image.root}/`)
      .replace(`--web.listen-address=:${port}`, '--web.listen-address=127.0.0.1:0'),
  );
  assert.ok(
    args.some((a) => a === '--web.listen-address=127.0.0.1:0'),
    'compose listens on the default port',
  );
  const [command, ...entryArgs] = image.entrypoint;
  assert.equal(command, 'node');
  const proc = spawnManaged(process.execPath, [...entryArgs, ...args], {
    cwd: image.workdir,
    env: { ...process.env, ...image.env },
  });
  running.push(proc);
  const free = await boundPort(proc, 'the exporter to listen', EXPORTER_LISTENING);
  await waitFor(
    'the HEALTHCHECK to pass',
    async () => {
      if (proc.exited()) throw new Error(`the exporter exited:\n${proc.output()}`);
      return healthcheck(image, port, free) === 0 ? true : undefined;
    },
    60_000,
  );
  const metrics = await (await fetch(`http://127.0.0.1:${free}/metrics`)).text();
  assert.match(metrics, /mlmon_build_info\{[^}]*revision="unknown"/);
  for (const model of ['credit-risk', 'credit-risk-eu', 'credit-risk-us'])
    assert.match(metrics, new RegExp(`mlmon_reference_info\\{model="${model}"`));
  await proc.stop();
  assert.notEqual(healthcheck(image, port, free), 0, 'the health check fails once the exporter is gone');
  console.log(`exporter image steps: ${Date.now() - started} ms`);
});

test('examples/demo-model/Dockerfile: start as docker-compose.yml does, HEALTHCHECK on /healthz', async () => {
  const image = build('examples/demo-model/Dockerfile');
  const service = compose.services['demo-model'];
  assert.equal(service.build.dockerfile, 'examples/demo-model/Dockerfile');
  const port = Number(service.environment.PORT);
  assert.deepEqual(image.expose, [port]);
  assert.notEqual(image.user.split(':')[0], 'root');
  // Its mounts (the ingest token file) laid out too, and the environment's container paths moved there.
  mountInto(image, service);
  const environment = Object.fromEntries(
    Object.entries(service.environment as Record<string, string>).map(([k, v]) => [
      k,
      v.startsWith('/') && existsSync(join(image.root, v)) ? join(image.root, v) : v,
    ]),
  );
  assert.ok(existsSync(environment.MLMON_INGEST_TOKEN_FILE), 'the token file is mounted');
  const [command, ...entryArgs] = image.entrypoint;
  assert.equal(command, 'node');
  // ERROR_RATE 0: no simulated model failures, so the one prediction below must succeed.
  const proc = spawnManaged(process.execPath, [...entryArgs, ...image.cmd], {
    cwd: image.workdir,
    env: { ...process.env, ...image.env, ...environment, PORT: '0', HOST: '127.0.0.1', ERROR_RATE: '0' },
  });
  running.push(proc);
  const free = await boundPort(proc, 'the demo model to listen', DEMO_MODEL_LISTENING);
  await waitFor('the HEALTHCHECK to pass', async () => {
    if (proc.exited()) throw new Error(`the demo model exited:\n${proc.output()}`);
    return healthcheck(image, port, free) === 0 ? true : undefined;
  });
  const response = await fetch(`http://127.0.0.1:${free}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'credit-risk-us', features: { age: 40, credit_score: 700, utilization: 0.2 } }),
  });
  assert.equal(response.status, 200);
  const { predictions } = (await response.json()) as { predictions: { model: string; prediction: number }[] };
  assert.equal(predictions.length, 1);
  assert.equal(predictions[0].model, 'credit-risk-us');
  assert.equal(predictions[0].prediction, modelScore({ age: 40, credit_score: 700, utilization: 0.2 }));
  await proc.stop();
  assert.match(proc.output(), /with an ingest token/);
  assert.notEqual(healthcheck(image, port, free), 0);
});

test('.dockerignore keeps host installs and state out of the context, not what the Dockerfiles COPY', () => {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const must of ['**/node_modules', '.git', 'data']) assert.ok(ignored.includes(must), must);
  const toRegExp = (p: string) =>
    new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(.*/)?')
        .replace(/\*/g, '[^/]*')}(/|$)`,
    );
  for (const dockerfile of ['exporter/Dockerfile', 'examples/demo-model/Dockerfile']) {
    for (const { args } of readDockerfile(join(ROOT, dockerfile)).filter((s) => s.keyword === 'COPY')) {
      for (const source of args.split(/\s+/).slice(0, -1)) {
        for (const pattern of ignored) assert.ok(!toRegExp(pattern).test(source), `${source} matches ${pattern}`);
      }
    }
  }
});
