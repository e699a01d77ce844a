// Integration: two mlmon-exporter replicas with the same reference and different traffic,
// scraped by a real Prometheus evaluating recording.yml. Once traffic stops, the fleet PSI from
// PromQL equals the PSI of the merged bin counts computed by the exporter's own statistics code,
// and the PSI a third exporter computes from all the records together.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { psi } from '../../exporter/src/stats/psi.ts';
import {
  parseMetrics,
  RULES_DIR,
  startExporterWithConfig,
  startPrometheus,
  tempDir,
  waitFor,
  type RunningPrometheus,
  type ExporterProcess,
} from '../../testkit/index.ts';

const COLORS = ['red', 'green', 'blue'];
let dir: string;
let replicas: ExporterProcess[] = [];
let merged: ExporterProcess;
let prometheus: RunningPrometheus;

function config(reference: string): string {
  return `models:
  - name: fleet
    reference: { path: ${JSON.stringify(reference)} }
    features: [{ name: x }, { name: color, type: categorical }]
    windows: [1h]
    min_samples: 100
`;
}

/** Deterministic pseudo-random numbers (a small LCG) so the traffic is the same every run. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function traffic(seed: number, n: number, shift: number, colorWeights: number[]): object[] {
  const random = lcg(seed);
  return Array.from({ length: n }, () => {
    const u = random();
    // Never in the reference when u falls past the weights: lands in __other__.
    let color = 'purple';
    let acc = 0;
    for (let i = 0; i < colorWeights.length; i++) {
      acc += colorWeights[i];
      if (u < acc) {
        color = COLORS[i];
        break;
      }
    }
    return { model: 'fleet', features: { x: Math.floor(random() * 1000) + shift, color } };
  });
}

async function post(url: string, records: object[]): Promise<void> {
  const body = records.map((r) => JSON.stringify(r)).join('\n');
  const response = await fetch(`${url}/api/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
  assert.equal(response.status, 200, await response.text());
}

before(async () => {
  dir = tempDir('fleet');
  const reference = join(dir, 'reference.csv');
  const rows = ['x,color'];
  for (let i = 0; i < 1000; i++) rows.push(`${i},${COLORS[i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2]}`);
  writeFileSync(reference, rows.join('\n') + '\n');
  replicas = await Promise.all([
    startExporterWithConfig(config(reference)),
    startExporterWithConfig(config(reference)),
  ]);
  merged = await startExporterWithConfig(config(reference));
  prometheus = await startPrometheus({
    jobs: [{ name: 'mlmon-exporter', targets: replicas.map((r) => `127.0.0.1:${r.port}`) }],
    ruleFiles: [join(RULES_DIR, 'recording.yml')],
  });
  // The first scrape must see the counters before any traffic: the fleet rules count from it.
  await waitFor('both replicas scraped', async () => {
    const series = await prometheus.query('count by (instance) (mlmon_feature_bin_observations_total)');
    return series.length === 2 ? true : undefined;
  });
});

after(async () => {
  await prometheus?.stop();
  for (const r of [...replicas, merged]) await r?.stop();
});

test('fleet PSI from the recording rules equals the PSI of the merged counts within 1e-6', async () => {
  // Replica a gets reference-like traffic, replica b shifted values and a new colour; in batches
  // spread over a few scrapes.
  const a = traffic(1, 3000, 0, [0.5, 0.3, 0.2]);
  const b = traffic(2, 2000, 400, [0.2, 0.2, 0.4]);
  for (let i = 0; i < 4; i++) {
    await post(replicas[0].url, a.slice(i * 750, (i + 1) * 750));
    await post(replicas[1].url, b.slice(i * 500, (i + 1) * 500));
    // The next batch only once Prometheus has scraped this one from both replicas.
    const posted = (i + 1) * 1250;
    await waitFor(`a scrape with ${posted} records`, async () => {
      const [sum] = await prometheus.query('sum(mlmon_records_total{job="mlmon-exporter"})');
      return Number(sum?.value[1]) === posted ? true : undefined;
    });
  }
  await post(merged.url, [...a, ...b]);

  // Exact counts and reference ratios, straight from the replicas' /metrics.
  const counts = new Map<string, Map<string, number>>();
  const reference = new Map<string, Map<string, number>>();
  for (const replica of replicas) {
    for (const s of parseMetrics(await (await fetch(`${replica.url}/metrics`)).text())) {
      const target =
        s.name === 'mlmon_feature_bin_observations_total'
          ? counts
          : s.name === 'mlmon_feature_reference_bin_ratio'
            ? reference
            : undefined;
      if (!target) continue;
      const bins = target.get(s.labels.feature) ?? new Map<string, number>();
      target.set(s.labels.feature, bins);
      bins.set(
        s.labels.bin,
        s.name === 'mlmon_feature_reference_bin_ratio' ? s.value : (bins.get(s.labels.bin) ?? 0) + s.value,
      );
    }
  }
  const mergedMetrics = parseMetrics(await (await fetch(`${merged.url}/metrics`)).text());

  for (const feature of ['x', 'color']) {
    const bins = [...reference.get(feature)!.keys()].sort();
    const total = bins.reduce((sum, bin) => sum + counts.get(feature)!.get(bin)!, 0);
    assert.equal(total, 5000, `${feature}: every record counted`);
    const expected = psi(
      bins.map((bin) => reference.get(feature)!.get(bin)!),
      bins.map((bin) => counts.get(feature)!.get(bin)!),
    );
    assert.ok(expected > 0.2, `${feature}: the merged traffic has drifted (PSI ${expected})`);
    // Wait until Prometheus scraped the final counters and evaluated the rules on them.
    await waitFor(`${feature} fleet samples = 5000`, async () => {
      const [s] = await prometheus.query(`mlmon:feature_samples:fleet_1h{model="fleet",feature="${feature}"}`);
      return s && Number(s.value[1]) === 5000 ? true : undefined;
    });
    const [fleet] = await prometheus.query(`mlmon:feature_psi:fleet_1h{model="fleet",feature="${feature}"}`);
    assert.ok(fleet, `${feature}: fleet PSI recorded`);
    const fleetPsi = Number(fleet.value[1]);
    assert.ok(Math.abs(fleetPsi - expected) <= 1e-6, `${feature}: fleet PSI ${fleetPsi} vs merged counts ${expected}`);

    const own = mergedMetrics.find(
      (s) => s.name === 'mlmon_feature_psi' && s.labels.feature === feature && s.labels.window === '1h',
    );
    assert.ok(own, `${feature}: the merged exporter exports PSI`);
    assert.ok(
      Math.abs(fleetPsi - own!.value) <= 1e-6,
      `${feature}: fleet PSI ${fleetPsi} vs one exporter fed everything ${own!.value}`,
    );

    // The bin shares sum to 1 and match the merged counts.
    const shares = await prometheus.query(`mlmon:feature_bin_ratio:fleet_1h{model="fleet",feature="${feature}"}`);
    assert.equal(shares.length, bins.length);
    for (const s of shares) {
      assert.ok(
        Math.abs(Number(s.value[1]) - counts.get(feature)!.get(s.metric.bin)! / total) < 1e-12,
        `${feature} bin ${s.metric.bin}`,
      );
    }
  }
});
