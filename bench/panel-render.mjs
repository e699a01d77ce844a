// Render time of the mlmon-drift-panel for 100 features × 300 time steps, measured in headless
// Chromium with the built dist/module.js (the host page of grafana-plugin/test/host), from frames
// in Grafana's Prometheus shape to the painted canvas: applyFieldOverrides, the panel's data
// transforms, React commit and the canvas drawing, until the second animation frame.
//   node --import tsx bench/panel-render.mjs [--features=100] [--steps=300] [--runs=15] [--compare=<dist dir>]
// Same-run baselines: "baseline" is the same frames through applyFieldOverrides and the panel's
// transforms to its "no such model" message (the ratio is the drawing's own cost on this machine
// now); --compare renders another build (e.g. the previous release's dist/) interleaved run by run.
import { ensureBuilt } from '../grafana-plugin/scripts/package.mjs';
import { buildHost, launchChromium, openHost, renderPanel, serveHost } from '../grafana-plugin/test/host/harness.ts';

const opt = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const arg = (name, fallback) => Number(opt(name) ?? fallback);
const features = arg('features', 100);
const steps = arg('steps', 300);
const runs = arg('runs', 15);
const compare = opt('compare');

ensureBuilt();
await buildHost();
const builds = [{ name: 'this', server: await serveHost() }];
if (compare) builds.push({ name: 'compare', server: await serveHost(compare) });
const browser = await launchChromium();
try {
  for (const b of builds) Object.assign(b, await openHost(browser, b.server.url));
  const synthetic = { features, steps, drifted: [3, 17, 42], insufficient: [features - 1], withBins: false };
  console.log(`mlmon-drift-panel render, ${features} features × ${steps} steps, ${runs} runs after 2 warm-ups`);
  console.log('build   | view      | frames | median ms | p90 ms | min ms | × baseline');
  const views = ['baseline', 'heatmap', 'table', 'overview'];
  const times = new Map(builds.flatMap((b) => views.map((v) => [`${b.name} ${v}`, []])));
  let frames = 0;
  for (let i = 0; i < runs + 2; i++) {
    for (const viewMode of views) {
      // topN: every feature in the heatmap (by default it shows the 20 worst of more than 30).
      const options =
        viewMode === 'baseline' ? { viewMode: 'heatmap', model: 'no-such-model' } : { viewMode, topN: features };
      for (const b of builds) {
        const r = await renderPanel(b.page, { synthetic, width: 1600, height: 1000, options }, 60_000);
        frames = r.frames;
        if (i >= 2) times.get(`${b.name} ${viewMode}`).push(r.ms);
      }
    }
  }
  for (const b of builds) {
    const q = (list, p) => [...list].sort((x, y) => x - y)[Math.min(list.length - 1, Math.floor(p * list.length))];
    const base = q(times.get(`${b.name} baseline`), 0.5);
    for (const viewMode of views) {
      const t = times.get(`${b.name} ${viewMode}`);
      console.log(
        `${b.name.padEnd(7)} | ${viewMode.padEnd(9)} | ${String(frames).padStart(6)} | ${q(t, 0.5).toFixed(0).padStart(9)} | ${q(t, 0.9).toFixed(0).padStart(6)} | ${q(t, 0).toFixed(0).padStart(6)} | ${(q(t, 0.5) / base).toFixed(2).padStart(10)}`,
      );
    }
    if (b.errors.length) console.log(`${b.name} page errors:`, b.errors);
  }
} finally {
  await browser.close();
  for (const b of builds) await b.server.close();
}
