// The built dist/module.js in headless Chromium, loaded the way Grafana loads it (AMD, with the
// real react, react-dom and @grafana/* packages as its externals), rendering frames made from live
// queries to a real Prometheus that scrapes the exporter's demo. Screenshots go to test-artifacts/.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../scripts/package.mjs';
import {
  PLUGIN_DIR,
  buildHost,
  launchChromium,
  openHost,
  renderPanel,
  serveHost,
  type HostServer,
} from './host/harness';
import { PANEL_QUERIES, startLiveStack, type LiveStack, type Matrix } from './live';

const ARTIFACTS = join(PLUGIN_DIR, 'test-artifacts');
const FEATURES = ['age', 'income', 'credit_score', 'utilization', 'country', 'channel'];
const VARIABLES = { model: 'demo-credit', window: '5m' };

/** The default (colour-blind-safe) palette's drift and stable colours. */
const DRIFT = '#BB5566';
const STABLE = '#4477AA';

type RGB = [number, number, number];
const hexRgb = (hex: string): RGB => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as RGB;
const near = (a: RGB, b: RGB, tol = 12) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

/** The colour at the centre of a heatmap cell, read from the canvas. */
async function cellPixel(page: Page, feature: string, col: 'last' | number): Promise<RGB> {
  return page.evaluate(
    ({ feature, col }) => {
      const canvas = document.querySelector('[data-testid="mlmon-heatmap-canvas"]') as HTMLCanvasElement;
      const rows = Number(canvas.dataset.rows);
      const cols = Number(canvas.dataset.cols);
      const labels = [...document.querySelectorAll('[data-testid="mlmon-heatmap-row"]')] as HTMLElement[];
      const row = labels.findIndex((l) => l.dataset.feature === feature);
      if (row < 0) throw new Error(`no row ${feature}`);
      const c = col === 'last' ? cols - 1 : col;
      const x = Math.floor(((c + 0.5) * canvas.width) / cols);
      const y = Math.floor(((row + 0.5) * canvas.height) / rows);
      const d = canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
      return [d[0], d[1], d[2]] as [number, number, number];
    },
    { feature, col },
  );
}

const themeColor = (page: Page, name: string, mode: 'dark' | 'light' = 'dark') =>
  page.evaluate(
    ({ name, mode }) =>
      (window as unknown as { mlmonHost: { color: (n: string, m: string) => string } }).mlmonHost.color(name, mode),
    { name, mode },
  );

describe('mlmon-drift-panel in Chromium with live Prometheus data', { timeout: 180_000 }, () => {
  let stack: LiveStack;
  let server: HostServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let matrices: Matrix[][];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const live = startLiveStack();
    ensureBuilt();
    await buildHost();
    stack = await live;
    server = await serveHost();
    browser = await launchChromium();
    ({ page, errors } = await openHost(browser, server.url));
    // Let Prometheus scrape the drifting demo for a while: enough time steps for a heatmap.
    const start = Date.now() / 1000;
    const deadline = Date.now() + 60_000;
    // Drifted, and at least 12 scrapes since `start` (time steps for the heatmap): counted in
    // Prometheus, not assumed from the clock.
    for (;;) {
      const range = Math.max(1, Math.ceil(Date.now() / 1000 - start));
      const [drifted] = await stack.prometheus.query(
        `count_over_time(mlmon_feature_psi{model="demo-credit",feature="credit_score",window="5m"}[${range}s])` +
          ' and mlmon_feature_psi{model="demo-credit",feature="credit_score",window="5m"} > 0.2',
      );
      if (drifted && Number(drifted.value[1]) >= 12) break;
      if (Date.now() > deadline) throw new Error('credit_score never drifted in Prometheus');
      await new Promise((r) => setTimeout(r, 500));
    }
    const end = Date.now() / 1000;
    matrices = await Promise.all(PANEL_QUERIES('demo-credit', '5m').map((q) => stack.queryRange(q, start - 5, end, 1)));
    writeFileSync(join(ARTIFACTS, 'live-query-results.json'), JSON.stringify(matrices));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await stack?.stop();
  });

  it('renders one heatmap row per feature, the drifted one first', async () => {
    const { frames } = await renderPanel(page, { matrices, width: 1400, height: 900, variables: VARIABLES });
    assert.ok(frames > 20, `frames from Prometheus: ${frames}`);
    const rows = await page.$$eval('[data-testid="mlmon-heatmap-row"]', (els) =>
      els.map((e) => (e as HTMLElement).dataset.feature),
    );
    assert.deepEqual([...rows].sort(), [...FEATURES].sort());
    assert.equal(rows[0], 'credit_score');
    const summary = await page.textContent('[data-testid="mlmon-summary"]');
    assert.match(summary ?? '', /^demo-credit · 5m · PSI — 1 drift · \d investigate · \d stable/);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-dark.png') });
    assert.deepEqual(errors, []);
  });

  it('paints the drifted feature in the drift colour and a stable one in the stable colour', async () => {
    // The default palette is the colour-blind-safe one: rose for drift, blue for stable.
    const red = hexRgb(await themeColor(page, DRIFT));
    const green = hexRgb(await themeColor(page, STABLE));
    const drifted = await cellPixel(page, 'credit_score', 'last');
    const stable = await cellPixel(page, 'age', 'last');
    assert.ok(near(drifted, red), `credit_score cell ${drifted} should be red ${red}`);
    assert.ok(near(stable, green), `age cell ${stable} should be green ${green}`);
  });

  it('shows the PSI table with the exporter status words and cells coloured on their limits', async () => {
    await renderPanel(page, {
      matrices,
      width: 1400,
      height: 600,
      variables: VARIABLES,
      options: { viewMode: 'table' },
    });
    const rows = await page.$$eval('[data-testid="mlmon-table-row"]', (els) =>
      els.map((e) => ({
        feature: (e as HTMLElement).dataset.feature,
        status: (e.querySelector('[data-status]') as HTMLElement).dataset.status,
        psiBg: getComputedStyle(e.querySelector('[data-col="psi"]') as HTMLElement).backgroundColor,
        type: e.children[1].textContent,
      })),
    );
    assert.equal(rows.length, 6);
    assert.deepEqual(rows[0], { ...rows[0], feature: 'credit_score', status: 'drift', type: 'numeric' });
    assert.equal(rows.find((r) => r.feature === 'age')!.status, 'stable');
    assert.equal(rows.find((r) => r.feature === 'country')!.type, 'categorical');
    const [r, g, b] = hexRgb(await themeColor(page, DRIFT));
    assert.equal(rows[0].psiBg, `rgb(${r}, ${g}, ${b})`);
    await page.screenshot({ path: join(ARTIFACTS, 'table-dark.png') });
  });

  it('shows the distribution of the drifted feature against its reference', async () => {
    await renderPanel(page, {
      matrices,
      width: 1000,
      height: 600,
      variables: { ...VARIABLES, feature: 'credit_score' },
      options: { viewMode: 'distribution' },
    });
    assert.equal(await page.textContent('[data-testid="mlmon-distribution-feature"]'), 'credit_score');
    const bins = await page.$$eval('[data-testid="mlmon-bin"] title', (els) => els.map((e) => e.textContent ?? ''));
    assert.equal(bins.length, 10);
    assert.match(bins[0], /^\(-Inf, [-\d.e+]+\): reference \d+\.\d%, current \d+\.\d%$/);
    assert.match(bins[9], /^\[[-\d.e+]+, \+Inf\): /);
    await page.screenshot({ path: join(ARTIFACTS, 'distribution-dark.png') });
  });

  it('renders the light theme and the heatmap alone', async () => {
    await renderPanel(page, { matrices, width: 1400, height: 900, variables: VARIABLES, theme: 'light' });
    const red = hexRgb(await themeColor(page, DRIFT, 'light'));
    assert.ok(near(await cellPixel(page, 'credit_score', 'last'), red));
    await page.screenshot({ path: join(ARTIFACTS, 'overview-light.png') });
    await renderPanel(page, {
      matrices,
      width: 1200,
      height: 400,
      variables: VARIABLES,
      options: { viewMode: 'heatmap' },
    });
    await page.screenshot({ path: join(ARTIFACTS, 'heatmap-dark.png') });
    assert.deepEqual(errors, []);
  });

  it('renders 100 features × 300 time steps quickly (canvas)', async () => {
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { ms } = await renderPanel(page, {
        synthetic: { features: 100, steps: 300, drifted: [3, 17, 42], insufficient: [99] },
        width: 1400,
        height: 900,
        options: { viewMode: 'heatmap', topN: 100 }, // every row, not the automatic 20 worst
      });
      timings.push(ms);
    }
    const cells = await page.$eval('[data-testid="mlmon-heatmap-canvas"]', (c) => [
      Number((c as HTMLElement).dataset.rows),
      Number((c as HTMLElement).dataset.cols),
    ]);
    assert.deepEqual(cells, [100, 300]);
    const sorted = [...timings].sort((a, b) => a - b);
    const median = sorted[2];
    writeFileSync(join(ARTIFACTS, 'render-time.json'), JSON.stringify({ features: 100, steps: 300, timings, median }));
    await page.screenshot({ path: join(ARTIFACTS, 'heatmap-100x300.png') });
    assert.ok(median < 3000, `median render ${median} ms`);
  });
});
