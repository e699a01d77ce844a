// Node side of the Chromium host page: builds the host bundle (esbuild, the pitfalls of
// the plugin's DEVELOPMENT.md handled), serves it with dist/ and the icons, and drives
// headless Chromium through playwright-core.
import { build, type Plugin } from 'esbuild';
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const PLUGIN_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const HOST_OUT = join(PLUGIN_DIR, '.host');
const require = createRequire(join(PLUGIN_DIR, 'package.json'));

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** The Grafana majors the host page can be built from: 12.4 (the plugin's own dependencies, React 18)
 * and 13.x (the grafana-plugin-grafana13 workspace, React 19). */
export type GrafanaMajor = 12 | 13;
export const GRAFANA_MAJORS: GrafanaMajor[] = [12, 13];

const ROOT_MODULES = join(PLUGIN_DIR, '..', 'node_modules');
/** Where each major's react, react-dom and @grafana/* resolve from. */
const MODULE_ROOT: Record<GrafanaMajor, string> = {
  12: PLUGIN_DIR,
  13: join(PLUGIN_DIR, '..', 'grafana-plugin-grafana13'),
};

/** The installed version of a package as the given major's host resolves it. */
export function hostVersion(major: GrafanaMajor, name: string): string {
  const req = createRequire(join(MODULE_ROOT[major], 'package.json'));
  const entry = req.resolve(name);
  const pkgJson = join(
    entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`)),
    'node_modules',
    name,
    'package.json',
  );
  return (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
}

/**
 * One copy of react, react-dom and @grafana/* per bundle, from the major's folder, whoever imports
 * them (a package shared by both majors is hoisted to the root and would otherwise get React 18).
 * @grafana/* resolve to their CommonJS builds and i18next and rxjs to one CommonJS copy: esbuild
 * gets a CommonJS dependency of @grafana/ui's .mjs files wrong (React error #130 in CustomScrollbar).
 */
function majorPins(major: GrafanaMajor): Plugin {
  const req = createRequire(join(MODULE_ROOT[major], 'package.json'));
  const dirOf = (name: string) => {
    const entry = req.resolve(name);
    return entry.slice(0, entry.lastIndexOf(`/node_modules/${name}/`)) + `/node_modules/${name}`;
  };
  const grafanaCjs = (name: string) => join(dirOf(name), 'dist/cjs/index.cjs');
  const i18nReq = createRequire(join(dirOf('@grafana/i18n'), 'package.json'));
  const pins: Record<string, string> = {
    '@grafana/ui': grafanaCjs('@grafana/ui'),
    '@grafana/data': grafanaCjs('@grafana/data'),
    '@grafana/runtime': grafanaCjs('@grafana/runtime'),
    '@grafana/i18n': grafanaCjs('@grafana/i18n'),
    i18next: join(dirname(i18nReq.resolve('i18next/package.json')), 'dist/cjs/i18next.js'),
    rxjs: join(ROOT_MODULES, 'rxjs/dist/cjs/index.js'),
  };
  return {
    name: `grafana-${major}-pins`,
    setup(b) {
      b.onResolve({ filter: /^(@grafana\/(ui|data|runtime|i18n)|i18next|rxjs)$/ }, (args) => ({
        path: pins[args.path],
      }));
      b.onResolve({ filter: /^(react|react-dom|scheduler|@grafana\/[a-z0-9-]+)(\/.*)?$/ }, async (args) => {
        if (args.pluginData === 'pinned') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: MODULE_ROOT[major], pluginData: 'pinned' });
        return r.errors.length ? undefined : { path: r.path };
      });
    },
  };
}

/** Runs `fn` holding a lock directory: test files run concurrently and share .host/. */
async function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(dir, { recursive: false });
      break;
    } catch {
      const age = Date.now() - (statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmSync(dir, { recursive: true, force: true }); // left by a killed run
      await new Promise((r) => setTimeout(r, 200)); // polls the lock, not a wait for a result
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds .host/g<major>/host.js (+ css, fonts) unless it is newer than its sources. */
export async function buildHost(major: GrafanaMajor = 12): Promise<void> {
  mkdirSync(HOST_OUT, { recursive: true });
  await withLock(join(HOST_OUT, `g${major}.lock`), () => buildHostUnlocked(major));
}

async function buildHostUnlocked(major: GrafanaMajor): Promise<void> {
  const entry = join(PLUGIN_DIR, 'test/host/host.tsx');
  const outDir = join(HOST_OUT, `g${major}`);
  const out = join(outDir, 'host.js');
  const sources = Math.max(newest(join(PLUGIN_DIR, 'test/host')), newest(join(PLUGIN_DIR, 'src/test-utils')));
  if (existsSync(out) && statSync(out).mtimeMs > sources) return;
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile: out,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    sourcemap: false,
    logLevel: 'error',
    jsx: 'automatic',
    define: {
      'process.env.NODE_ENV': '"production"',
      define: 'undefined',
      global: 'globalThis',
      __GRAFANA_VERSION__: JSON.stringify(hostVersion(major, '@grafana/ui')),
    },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    plugins: [majorPins(major)],
    nodePaths: [ROOT_MODULES],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

const page = (major: string) => `<!doctype html><html><head><meta charset="utf-8"><title>mlmon-drift-panel host</title>
<link rel="stylesheet" href="/host/g${major}/host.css"></head>
<body style="margin:0"><div id="root"></div><script src="/host/g${major}/host.js"></script></body></html>`;

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the page, the host bundle, dist/ (or another build) as public/plugins/<id>/, and @grafana/ui's icons. */
export async function serveHost(dist = join(PLUGIN_DIR, 'dist')): Promise<HostServer> {
  const icons = join(require.resolve('@grafana/ui').split('/dist/')[0], 'dist/public/img/icons');
  const roots: Array<[string, string]> = [
    ['/host/', HOST_OUT],
    ['/public/plugins/mlmon-drift-panel/', dist],
  ];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    const pageFor = path.match(/^\/g(\d+)\/$/);
    if (pageFor) {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(page(pageFor[1]));
    }
    let file: string | undefined;
    // Grafana serves its fonts from public/fonts/; GlobalStyles asks for them there.
    const font = path.match(/\/fonts\/(inter|roboto-mono)\/[\w-]*?-?(Light|Regular|Medium|SemiBold|Bold)\.(woff2?)$/i);
    // Roboto Mono from Google Fonts' hashed file names: the fontsource copy stands in.
    if (/\/fonts\/roboto\/[\w-]+\.woff2$/.test(path)) {
      file = join(PLUGIN_DIR, '..', 'node_modules/@fontsource/roboto-mono/files/roboto-mono-latin-400-normal.woff2');
    }
    if (font) {
      const weight = { light: 300, regular: 400, medium: 500, semibold: 600, bold: 700 }[font[2].toLowerCase()];
      const pkgDir = join(PLUGIN_DIR, '..', 'node_modules', '@fontsource', font[1].toLowerCase());
      file = join(pkgDir, 'files', `${font[1].toLowerCase()}-latin-${weight}-normal.${font[3]}`);
    }
    const iconAt = path.indexOf('/img/icons/');
    if (iconAt >= 0) file = join(icons, normalize(path.slice(iconAt + '/img/icons/'.length)));
    for (const [prefix, dir] of roots)
      if (path.startsWith(prefix)) file = join(dir, normalize(path.slice(prefix.length)));
    if (!file || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/** Opens the host page and collects console errors and page errors. */
export async function openHost(
  browser: Browser,
  url: string,
  viewport = { width: 1400, height: 900 },
  major: GrafanaMajor = 12,
) {
  const page: Page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(`${url}/g${major}/`);
  await page.waitForFunction(() => (window as unknown as { mlmonHost?: { ready: boolean } }).mlmonHost?.ready, null, {
    timeout: 30_000,
  });
  return { page, errors };
}

/** Renders the panel in the page; page.evaluate has no timeout of its own, so race one. */
export async function renderPanel(
  page: Page,
  req: unknown,
  timeoutMs = 30_000,
): Promise<{ ms: number; frames: number }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`render did not settle in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      page.evaluate(
        (r) =>
          (
            window as unknown as { mlmonHost: { render: (r: unknown) => Promise<{ ms: number; frames: number }> } }
          ).mlmonHost.render(r),
        req,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
