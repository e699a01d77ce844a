// Render time of the mlmon-drift-panel for 100 features × 300 time steps, measured in headless
// Chromium with the built dist/module.js (the host page of grafana-plugin/test/host), from frames
// in Grafana's Prometheus shape to the painted canvas: applyFieldOverrides, the panel's data
// transforms, React commit and the canvas drawing, until the second animation frame.
//   node --import tsx bench/panel-render.mjs [--features=100] [--steps=300] [--runs=15]
import { ensureBuilt } from '../grafana-plugin/scripts/package.mjs';
import { buildHost, launchChromium, openHost, renderPanel, serveHost } from '../grafana-plugin/test/host/harness.ts';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const features = arg('features', 100);
const steps = arg('steps', 300);
const runs = arg('runs', 15);

ensureBuilt();
await buildHost();
const server = await serveHost();
const browser = await launchChromium();
try {
  const { page, errors } = await openHost(browser, server.url);
  const synthetic = { features, steps, drifted: [3, 17, 42], insufficient: [features - 1], withBins: false };
  console.log(`mlmon-drift-panel render, ${features} features × ${steps} steps, ${runs} runs after 2 warm-ups`);
  console.log('view      | frames | median ms | p90 ms | min ms');
  for (const viewMode of ['heatmap', 'table', 'overview']) {
    const times = [];
    let frames = 0;
    for (let i = 0; i < runs + 2; i++) {
      const r = await renderPanel(page, { synthetic, width: 1600, height: 1000, options: { viewMode } }, 60_000);
      frames = r.frames;
      if (i >= 2) times.push(r.ms);
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    console.log(
      `${viewMode.padEnd(9)} | ${String(frames).padStart(6)} | ${q(0.5).toFixed(0).padStart(9)} | ${q(0.9).toFixed(0).padStart(6)} | ${times[0].toFixed(0).padStart(6)}`,
    );
  }
  if (errors.length) console.log('page errors:', errors);
} finally {
  await browser.close();
  await server.close();
}
