// Installs what the project needs when it is missing: the npm packages (npm ci) and, for the
// tests, the Debian packages of the real servers they start. Used by `npm start` and `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Debian packages the tests use, by the command each provides. */
export const TEST_PACKAGES = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
  '/usr/lib/postgresql/15/bin/initdb': 'postgresql',
  '/usr/bin/chromium': 'chromium',
  openssl: 'openssl',
};

function run(command, args) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

export function ensureNodeModules() {
  const marker = `${ROOT}/node_modules/.package-lock.json`;
  const lock = `${ROOT}/package-lock.json`;
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function hasCommand(name) {
  if (name.startsWith('/')) return existsSync(name);
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

export function ensureDebianPackages(packages = TEST_PACKAGES) {
  const missing = [
    ...new Set(
      Object.entries(packages)
        .filter(([cmd]) => !hasCommand(cmd))
        .map(([, pkg]) => pkg),
    ),
  ];
  if (missing.length === 0) return;
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  if (sudo.length > 0 && !hasCommand('sudo')) {
    throw new Error(`missing Debian packages ${missing.join(' ')}: install them as root (apt-get install -y ...)`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const cmd = [...sudo, 'apt-get', ...args];
    console.log(`$ ${cmd.join(' ')}`);
    const result = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${result.status})`);
  };
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...missing]);
}

export function gitRevision() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}
