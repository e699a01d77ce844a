import type { Exporter } from '../exporter.ts';
import { BUILD } from '../version.ts';

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page at `/`, in the style of Prometheus exporters' landing pages. */
export function landingPage(state: Exporter): string {
  const models = [...state.models.entries()]
    .map(([name, entry]) => {
      const features = entry.windows.layout.features.length;
      return `<li>${escape(name)}: ${features} features, windows ${entry.windows.windows.map((w) => w.label).join(', ')}, reference ${entry.windows.profile.hash}</li>`;
    })
    .join('');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>mlmon exporter</title></head>
<body>
<h1>mlmon exporter</h1>
<p>Version ${escape(BUILD.version)} (${escape(BUILD.revision)}). Drift, data-quality and health metrics of ML models for Prometheus.</p>
<ul>
<li><a href="metrics">Metrics</a></li>
<li><a href="-/healthy">Health</a> · <a href="-/ready">Readiness</a></li>
<li>Ingest: <code>POST /api/v1/records</code> (application/json or application/x-ndjson)</li>
</ul>
<h2>Models</h2>
<ul>${models || '<li>none configured</li>'}</ul>
</body></html>
`;
}
