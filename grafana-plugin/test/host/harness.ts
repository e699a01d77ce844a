// Node side of the Chromium host page: builds the host bundle (esbuild, the pitfalls of
// /work/shared/PLUGIN_HOST_NOTES.md handled), serves it with dist/ and the icons, and drives
// headless Chromium through playwright-core.
import { build, type Plugin } from 'esbuild';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve } from 'node:path';
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

/** @grafana/* resolve to their CommonJS builds; i18next and rxjs pinned to one CommonJS copy. */
const cjsPins: Plugin = {
  name: 'cjs-pins',
  setup(b) {
    const pins: Record<string, string> = {
      '@grafana/ui': require.resolve('@grafana/ui').replace(/esm\/index\.mjs$/, 'cjs/index.cjs'),
      '@grafana/data': require.resolve('@grafana/data').replace(/esm\/index\.mjs$/, 'cjs/index.cjs'),
      '@grafana/runtime': require.resolve('@grafana/runtime').replace(/esm\/index\.mjs$/, 'cjs/index.cjs'),
      '@grafana/i18n': join(PLUGIN_DIR, '..', 'node_modules/@grafana/i18n/dist/cjs/index.cjs'),
      i18next: join(PLUGIN_DIR, '..', 'node_modules/i18next/dist/cjs/i18next.js'),
      rxjs: join(PLUGIN_DIR, '..', 'node_modules/rxjs/dist/cjs/index.js'),
    };
    b.onResolve({ filter: /^(@grafana\/(ui|data|runtime|i18n)|i18next|rxjs)$/ }, (args) => ({ path: pins[args.path] }));
  },
};

/** Builds .host/host.js (+ css, fonts) unless it is newer than its sources. */
export async function buildHost(): Promise<void> {
  const entry = join(PLUGIN_DIR, 'test/host/host.tsx');
  const out = join(HOST_OUT, 'host.js');
  const sources = Math.max(newest(join(PLUGIN_DIR, 'test/host')), newest(join(PLUGIN_DIR, 'src/test-utils')));
  if (existsSync(out) && statSync(out).mtimeMs > sources) return;
  mkdirSync(HOST_OUT, { recursive: true });
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
    define: { 'process.env.NODE_ENV': '"production"', define: 'undefined', global: 'globalThis' },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file' },
    plugins: [cjsPins],
    nodePaths: [join(PLUGIN_DIR, '..', 'node_modules')],
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

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>mlmon-drift-panel host</title>
<link rel="stylesheet" href="/host/host.css"></head>
<body style="margin:0"><div id="root"></div><script src="/host/host.js"></script></body></html>`;

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

/** Serves the page, the host bundle, dist/ as public/plugins/<id>/, and @grafana/ui's icons. */
export async function serveHost(): Promise<HostServer> {
  const icons = join(require.resolve('@grafana/ui').split('/dist/')[0], 'dist/public/img/icons');
  const roots: Array<[string, string]> = [
    ['/host/', HOST_OUT],
    ['/public/plugins/mlmon-drift-panel/', join(PLUGIN_DIR, 'dist')],
  ];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      return res.end(PAGE);
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
export async function openHost(browser: Browser, url: string, viewport = { width: 1400, height: 900 }) {
  const page: Page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`${m.text()} ${m.location().url}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  await page.goto(url);
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
