// The one built dist/module.js on both Grafana majors (host pages built from @grafana/* 12.4 with
// React 18 and 13.x with React 19), at the panel sizes and feature counts people use, in both
// themes: screenshots in test-artifacts/screenshots/, each checked for what makes it legible
// (row labels readable and unclipped, time ticks inside the axis, no section below its minimum,
// no console error). Then the panel editor: every option rendered and each one changes the render.
// Synthetic frames in Grafana's Prometheus shape (src/test-utils/frames.ts): no Prometheus needed.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt } from '../scripts/package.mjs';
import { MIN_SIZE, type Section } from '../src/data/layout';
import { defaultOptions } from '../src/types';
import { CATALOG_SHOTS } from './catalog-shots';
import {
  GRAFANA_MAJORS,
  PLUGIN_DIR,
  buildHost,
  hostVersion,
  launchChromium,
  openHost,
  renderPanel,
  serveHost,
  type GrafanaMajor,
  type HostServer,
} from './host/harness';

const SHOTS = join(PLUGIN_DIR, 'test-artifacts', 'screenshots');
const SIZES: Array<[number, number]> = [
  [400, 300],
  [800, 450],
  [1600, 900],
];
const FEATURES = [1, 6, 100, 300];
const THEMES = ['dark', 'light'] as const;

/** Drifted, investigated and starved features spread over the list, like a real model's. */
function synthetic(features: number) {
  const pick = (...at: number[]) => at.filter((i) => i < features);
  return {
    features,
    steps: 120,
    drifted: pick(features === 1 ? 0 : 1, 17, 42, 250),
    investigate: pick(3, 60),
    insufficient: features > 5 ? [features - 1] : [],
    withBins: true,
    withCause: true,
  };
}

interface Legibility {
  errors: string[];
  arrangement: string | null;
  sections: Array<{ section: Section; w: number; h: number }>;
  rows: number;
  rowHeights: number[];
  clippedLabels: string[];
  smallestFont: number;
  ticks: Array<{ text: string; left: number; right: number; axisLeft: number; axisRight: number }>;
  overflowing: string[];
  summary: string;
  showAll: string | null;
}

/** What a reader would notice, measured in the page. */
function legibility(page: Page): Promise<Legibility> {
  return page.evaluate(() => {
    const errors: string[] = [];
    const panel = document.querySelector('[data-testid="mlmon-panel"]') as HTMLElement;
    const box = panel.getBoundingClientRect();
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="mlmon-heatmap-row"]')];
    const scroll = document.querySelector('[data-testid="mlmon-heatmap-scroll"]')?.getBoundingClientRect();
    const visible = rows.filter((r) => {
      const b = r.getBoundingClientRect();
      return scroll && b.top >= scroll.top - 1 && b.bottom <= scroll.bottom + 1;
    });
    const clippedLabels = visible
      .map((r) => r.querySelector('span') as HTMLElement)
      .filter((s) => s.scrollWidth > s.clientWidth + 1)
      .map((s) => s.textContent ?? '');
    // Elements with their own text, on screen (rows scrolled out of view are not read).
    const texts = [...panel.querySelectorAll<HTMLElement>('span, td, th, div, text, button')].filter((e) => {
      if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())) return false;
      const b = e.getBoundingClientRect();
      return b.bottom > 0 && b.top < innerHeight && b.right > 0 && b.left < innerWidth;
    });
    const smallestFont = Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    const axis = document.querySelector('[data-testid="mlmon-time-axis"]')?.getBoundingClientRect();
    const ticks = [...document.querySelectorAll<HTMLElement>('[data-testid="mlmon-time-tick"]')].map((t) => {
      const b = t.getBoundingClientRect();
      return { text: t.textContent ?? '', left: b.left, right: b.right, axisLeft: axis!.left, axisRight: axis!.right };
    });
    // Text that spills out of the panel (tooltips excepted).
    const overflowing = texts
      .filter((e) => e.closest('[role="tooltip"]') === null && e.getClientRects().length > 0)
      .filter((e) => {
        const b = e.getBoundingClientRect();
        return b.width > 0 && (b.right > box.right + 1 || b.left < box.left - 1 || b.bottom > box.bottom + 1);
      })
      .filter((e) => !e.closest('[data-testid="mlmon-table"], [data-testid="mlmon-heatmap-scroll"]')) // they scroll
      .map((e) => e.textContent ?? '');
    const summary = document.querySelector('[data-testid="mlmon-summary"]') as HTMLElement;
    if (summary.scrollWidth > summary.clientWidth + 1) errors.push(`summary cut: ${summary.textContent}`);
    return {
      errors,
      arrangement: panel.dataset.arrangement ?? null,
      sections: [...panel.querySelectorAll<HTMLElement>('[data-section]')].map((s) => ({
        section: s.dataset.section as Section,
        w: s.getBoundingClientRect().width,
        h: s.getBoundingClientRect().height,
      })),
      rows: rows.length,
      rowHeights: visible.map((r) => r.getBoundingClientRect().height),
      clippedLabels,
      smallestFont,
      ticks,
      overflowing,
      summary: summary.textContent ?? '',
      showAll: document.querySelector('[data-testid="mlmon-show-all"]')?.textContent ?? null,
    };
  });
}

describe('one build on Grafana 12 and 13, every size, feature count and theme', { timeout: 600_000 }, () => {
  let server: HostServer;
  let browser: Browser;
  const pages = new Map<GrafanaMajor, { page: Page; errors: string[] }>();

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    ensureBuilt();
    await Promise.all(GRAFANA_MAJORS.map((m) => buildHost(m)));
    server = await serveHost();
    browser = await launchChromium();
    for (const major of GRAFANA_MAJORS) pages.set(major, await openHost(browser, server.url, undefined, major));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads module.js into each major, with that major’s React and the JSX runtime from the host', async () => {
    const header = readFileSync(join(PLUGIN_DIR, 'dist/module.js'), 'utf8').match(/define\((\[[^\]]*\])/)!;
    assert.ok(JSON.parse(header[1]).includes('react/jsx-runtime'), 'react/jsx-runtime is an external');
    for (const [major, { page }] of pages) {
      const v = await page.evaluate(
        () => (window as unknown as { mlmonHost: { versions: object } }).mlmonHost.versions,
      );
      assert.deepEqual(v, { react: hostVersion(major, 'react'), grafana: hostVersion(major, '@grafana/ui') });
      assert.match(hostVersion(major, 'react'), major === 12 ? /^18\./ : /^19\./);
      assert.match(hostVersion(major, '@grafana/ui'), major === 12 ? /^12\.4\./ : /^13\./);
    }
  });

  for (const major of GRAFANA_MAJORS) {
    it(`renders legibly on Grafana ${major}: 3 sizes × 4 feature counts × 2 themes`, async () => {
      const { page, errors } = pages.get(major)!;
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        for (const features of FEATURES) {
          for (const theme of THEMES) {
            const name = `g${major}-${theme}-${width}x${height}-${features}`;
            await renderPanel(page, { synthetic: synthetic(features), width, height, theme });
            await page.screenshot({ path: join(SHOTS, `${name}.png`) });
            const l = await legibility(page);
            assert.deepEqual(l.errors, [], name);
            assert.equal(l.rows, Math.min(features, features > 30 ? 20 : features), `${name}: heatmap rows`);
            if (features > 30) assert.equal(l.showAll, `Show all ${features}`, name);
            assert.ok(l.rowHeights.length > 0, `${name}: some heatmap rows visible`);
            for (const h of l.rowHeights) assert.ok(h >= 13, `${name}: row height ${h}`);
            assert.deepEqual(l.clippedLabels, [], `${name}: clipped row labels`);
            assert.ok(l.smallestFont >= 11, `${name}: smallest font ${l.smallestFont}px`);
            assert.ok(l.ticks.length >= 2, `${name}: time ticks`);
            for (const t of l.ticks)
              assert.ok(t.left >= t.axisLeft - 1 && t.right <= t.axisRight + 1, `${name}: tick ${t.text}`);
            assert.deepEqual(l.overflowing, [], `${name}: text outside the panel`);
            if (l.arrangement !== 'tabs') {
              for (const s of l.sections) {
                assert.ok(
                  s.w >= MIN_SIZE[s.section].w && s.h >= MIN_SIZE[s.section].h,
                  `${name}: ${s.section} ${s.w}×${s.h}`,
                );
              }
            }
            assert.match(l.summary, features === 1 ? /1 drift/ : /drift/, name);
          }
        }
      }
      assert.deepEqual(errors, []);
      if (process.env.MLMON_UPDATE_SCREENSHOTS) {
        mkdirSync(join(PLUGIN_DIR, 'src/img/screenshots'), { recursive: true });
        for (const [from, to] of Object.entries(CATALOG_SHOTS)) {
          if (from.startsWith(`g${major}-`))
            copyFileSync(join(SHOTS, from), join(PLUGIN_DIR, 'src/img/screenshots', to));
        }
      }
    });
  }

  for (const major of GRAFANA_MAJORS) {
    it(`renders every option in the panel editor on Grafana ${major}, and each one changes the panel`, async () => {
      const { page, errors } = pages.get(major)!;
      const req = { synthetic: synthetic(6), width: 1100, height: 700, editor: true };
      await page.setViewportSize({ width: 1100 + 360, height: 700 });
      await renderPanel(page, req);
      const paths = await page.$$eval('[data-testid^="editor-"][data-testid*="."], [data-testid^="editor-"]', (els) =>
        els.map((e) => e.getAttribute('data-testid')!).filter((id) => !/^editor-(input|select|category)-/.test(id)),
      );
      const rendered = [...new Set(paths.map((p) => p.slice('editor-'.length)))].sort();
      const flatten = (o: object, prefix = ''): string[] =>
        Object.entries(o).flatMap(([k, v]) =>
          v && typeof v === 'object' ? flatten(v, `${prefix}${k}.`) : [`${prefix}${k}`],
        );
      assert.deepEqual(rendered, flatten(defaultOptions).sort(), 'every option has an editor');
      await page.screenshot({ path: join(SHOTS, `g${major}-editor.png`) });

      const host = 'window.mlmonHost';
      const signature = () => page.evaluate(`${host}.panelSignature()`) as Promise<string>;
      const painted = () => page.evaluate(`${host}.painted()`);
      const TEXT: Record<string, string> = {
        model: 'other-model',
        window: '1h',
        feature: 'feature_003',
        modelLabel: 'service',
        featureLabel: 'column',
        windowLabel: 'span',
        binLabel: 'bucket',
      };
      for (const path of rendered) {
        await renderPanel(page, req); // each option from the defaults
        const before = await signature();
        const editor = page.locator(`[data-testid="editor-${path}"]`);
        if ((await editor.locator('input[type="radio"]').count()) > 0) {
          // Grafana's radio inputs are laid over their labels: click the input itself.
          // The last choice: the first one after the default can render the same (auto is rows here).
          await editor.locator('input[type="radio"]:not(:checked)').last().click({ force: true });
        } else if ((await editor.locator(`#editor-select-${path.replace(/\./g, '\\.')}`).count()) > 0) {
          await editor.locator('input').first().focus();
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('ArrowDown');
          await page.keyboard.press('Enter');
        } else {
          const input = editor.locator('input');
          const value =
            TEXT[path] ??
            (path === 'topN' ? '2' : path.endsWith('.investigate') ? '0.001' : path.endsWith('.drift') ? '5' : 'x');
          await input.fill(value);
          await input.press('Tab');
        }
        await painted();
        assert.notEqual(await signature(), before, `changing ${path} changes the panel`);
      }
      assert.deepEqual(errors, []);
    });
  }
});
