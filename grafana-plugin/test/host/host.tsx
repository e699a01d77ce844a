// The Chromium host page's bundle: the real react, react-dom and @grafana/* packages, registered
// by name for the plugin's AMD `define`, as Grafana's SystemJS registry provides them; the
// registries Grafana's app fills at start-up; and a render function driven by the test.
import './boot';
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import '@fontsource/roboto-mono/400.css';
import React from 'react';
import * as ReactAll from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import * as emotionCss from '@emotion/css';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import {
  EventBusSrv,
  LoadingState,
  ThemeContext,
  applyFieldOverrides,
  createTheme,
  dateTime,
  type DataFrame,
  type PanelPlugin,
} from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { matrixToFrames, syntheticFrames } from '../../src/test-utils/frames';
import { initRegistries } from '../../src/test-utils/registries';

initRegistries();

const modules: Record<string, unknown> = {
  react: ReactAll,
  'react-dom': ReactDOM,
  '@emotion/css': emotionCss,
  '@grafana/data': grafanaData,
  '@grafana/ui': { ...grafanaUi, PanelPlugin: grafanaData.PanelPlugin },
  '@grafana/runtime': grafanaRuntime,
};

/** Loads an AMD module by a script tag, feeding its dependencies by name (a small SystemJS stand-in). */
function loadAmd(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const w = window as unknown as Record<string, unknown>;
    w.define = (deps: string[], factory: (...args: unknown[]) => Record<string, unknown>) => {
      delete w.define;
      try {
        const missing = deps.filter((d) => d !== 'module' && !(d in modules));
        if (missing.length) throw new Error(`module.js needs unprovided externals: ${missing.join(', ')}`);
        resolve(factory(...deps.map((d) => (d === 'module' ? { uri: url } : modules[d]))));
      } catch (err) {
        reject(err);
      }
    };
    (w.define as unknown as { amd: object }).amd = {};
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`cannot load ${url}`));
    document.head.appendChild(script);
  });
}

class ErrorBoundary extends React.Component<{ onError: (e: Error) => void; children: React.ReactNode }> {
  state = { error: undefined as Error | undefined };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  componentDidCatch(error: Error) {
    this.props.onError(error);
  }
  render() {
    return this.state.error ? (
      <pre data-testid="host-error">{String(this.state.error.stack)}</pre>
    ) : (
      this.props.children
    );
  }
}

export interface RenderRequest {
  /** Prometheus query_range results, one list per query (refId A, B, …). */
  matrices?: Array<Array<{ metric: Record<string, string>; values: Array<[number, string]> }>>;
  synthetic?: Parameters<typeof syntheticFrames>[0];
  options?: Record<string, unknown>;
  width: number;
  height: number;
  theme?: 'dark' | 'light';
  variables?: Record<string, string>;
}

let plugin: PanelPlugin | undefined;
let root: Root | undefined;

async function render(req: RenderRequest): Promise<{ ms: number; frames: number }> {
  if (!plugin) {
    const mod = await loadAmd(`${location.origin}/public/plugins/mlmon-drift-panel/module.js`);
    plugin = mod.plugin as PanelPlugin;
  }
  const frames: DataFrame[] = req.synthetic
    ? syntheticFrames(req.synthetic)
    : (req.matrices ?? []).flatMap((m, i) => matrixToFrames(m, String.fromCharCode(65 + i)));
  const theme = createTheme({ colors: { mode: req.theme ?? 'dark' } });
  const replaceVariables = (s: string) => s.replace(/\$(\w+)/g, (all, name) => req.variables?.[name] ?? all);
  const fieldConfig = { defaults: {}, overrides: [] };
  const defaults = plugin.fieldConfigDefaults;
  const fc = { defaults: { ...defaults.defaults, ...fieldConfig.defaults }, overrides: [] };
  const start = performance.now();
  const series = applyFieldOverrides({
    data: frames,
    fieldConfig: fc,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
  let from = Infinity;
  let to = -Infinity;
  for (const f of series) {
    for (const t of (f.fields[0]?.values as number[]) ?? []) {
      if (t < from) from = t;
      if (t > to) to = t;
    }
  }
  if (!Number.isFinite(from)) [from, to] = [Date.now() - 3600_000, Date.now()];
  const timeRange = { from: dateTime(from), to: dateTime(to), raw: { from: dateTime(from), to: dateTime(to) } };
  const Panel = plugin.panel!;
  const container = document.getElementById('root')!;
  container.style.width = `${req.width}px`;
  container.style.height = `${req.height}px`;
  root?.unmount();
  root = createRoot(container);
  document.body.style.background = theme.colors.background.canvas;
  let failure: Error | undefined;
  await new Promise<void>((resolve) => {
    root!.render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <div style={{ padding: 8, background: theme.colors.background.primary, width: req.width, height: req.height }}>
          <ErrorBoundary onError={(e) => (failure = e)}>
            <Panel
              id={1}
              data={{ state: LoadingState.Done, series, timeRange }}
              timeRange={timeRange}
              timeZone="utc"
              options={{ ...plugin!.defaults, ...(req.options ?? {}) }}
              fieldConfig={fc}
              transparent={false}
              width={req.width - 16}
              height={req.height - 16}
              renderCounter={0}
              title="Drift"
              eventBus={new EventBusSrv()}
              replaceVariables={replaceVariables}
              onOptionsChange={() => {}}
              onFieldConfigChange={() => {}}
              onChangeTimeRange={() => {}}
            />
          </ErrorBoundary>
        </div>
      </ThemeContext.Provider>,
    );
    // Committed and painted: effects (canvas drawing) ran before the second frame.
    requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
  });
  const ms = performance.now() - start;
  if (failure) throw failure;
  return { ms, frames: frames.length };
}

/** A Grafana colour name resolved by the theme, as the panel resolves threshold colours. */
function color(name: string, mode: 'dark' | 'light' = 'dark'): string {
  return createTheme({ colors: { mode } }).visualization.getColorByName(name);
}

(window as unknown as Record<string, unknown>).mlmonHost = { render, color, ready: true };
