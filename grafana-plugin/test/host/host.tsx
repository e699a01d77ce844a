// The Chromium host page's bundle: the real react, react-dom and @grafana/* packages, registered
// by name for the plugin's AMD `define`, as Grafana's SystemJS registry provides them; the
// registries Grafana's app fills at start-up; and a render function driven by the test.
import './boot';
import '@fontsource/inter/400.css';
import '@fontsource/inter/500.css';
import '@fontsource/roboto-mono/400.css';
import React, { useState } from 'react';
import * as ReactAll from 'react';
import * as ReactDOM from 'react-dom';
import * as jsxRuntime from 'react/jsx-runtime';
import * as jsxDevRuntime from 'react/jsx-dev-runtime';
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
  PanelOptionsEditorBuilder,
  type DataFrame,
  type PanelPlugin,
} from '@grafana/data';
import { GlobalStyles } from '@grafana/ui';
import { OptionsPane, hostEditors, setPath } from './editor';
import { matrixToFrames, syntheticFrames } from '../../src/test-utils/frames';
import { initRegistries } from '../../src/test-utils/registries';

initRegistries(hostEditors);

const modules: Record<string, unknown> = {
  react: ReactAll,
  'react/jsx-runtime': jsxRuntime,
  'react/jsx-dev-runtime': jsxDevRuntime,
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
  /** Render the panel editor's options pane beside the panel (the panel keeps width × height). */
  editor?: boolean;
}

const EDITOR_W = 360;

interface HostPanelProps {
  plugin: PanelPlugin;
  req: RenderRequest;
  initial: Record<string, unknown>;
  series: DataFrame[];
  timeRange: {
    from: ReturnType<typeof dateTime>;
    to: ReturnType<typeof dateTime>;
    raw: { from: unknown; to: unknown };
  };
  fieldConfig: { defaults: object; overrides: unknown[] };
  replaceVariables: (s: string) => string;
  background: string;
}

/** The panel as Grafana's panel chrome gives it props, and (on request) the options pane editing them. */
function HostPanel({
  plugin,
  req,
  initial,
  series,
  timeRange,
  fieldConfig,
  replaceVariables,
  background,
}: HostPanelProps) {
  const [options, setOptions] = useState(initial);
  const Panel = plugin.panel!;
  const items = req.editor ? optionItems(plugin, options, series) : [];
  return (
    <div style={{ display: 'flex' }}>
      <div
        data-testid="host-panel"
        style={{ padding: 8, background, width: req.width, height: req.height, boxSizing: 'border-box' }}
      >
        <Panel
          id={1}
          data={{ state: LoadingState.Done, series, timeRange } as never}
          timeRange={timeRange as never}
          timeZone="utc"
          options={options}
          fieldConfig={fieldConfig as never}
          transparent={false}
          width={req.width - 16}
          height={req.height - 16}
          renderCounter={0}
          title="Drift"
          eventBus={new EventBusSrv()}
          replaceVariables={replaceVariables}
          onOptionsChange={(o: Record<string, unknown>) => setOptions(o)}
          onFieldConfigChange={() => {}}
          onChangeTimeRange={() => {}}
        />
      </div>
      {req.editor && (
        <OptionsPane
          width={EDITOR_W}
          height={req.height}
          items={items}
          options={options}
          series={series}
          onChange={(path, value) => setOptions((o) => setPath(o, path, value))}
        />
      )}
    </div>
  );
}

/** The panel's option items as Grafana's options pane builds them (showIf applied). */
function optionItems(plugin: PanelPlugin, options: Record<string, unknown>, series: DataFrame[]) {
  const builder = new PanelOptionsEditorBuilder<Record<string, unknown>>();
  plugin.getPanelOptionsSupplier()(builder, { data: series, options });
  return builder.getItems().filter((i) => !i.showIf || i.showIf(options, series));
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
  const container = document.getElementById('root')!;
  container.style.width = `${req.width + (req.editor ? EDITOR_W : 0)}px`;
  container.style.height = `${req.height}px`;
  root?.unmount();
  root = createRoot(container);
  document.body.style.background = theme.colors.background.canvas;
  let failure: Error | undefined;
  const panelPlugin = plugin;
  const initial = { ...panelPlugin.defaults, ...(req.options ?? {}) } as Record<string, unknown>;
  await new Promise<void>((resolve) => {
    root!.render(
      <ThemeContext.Provider value={theme}>
        <GlobalStyles />
        <ErrorBoundary onError={(e) => (failure = e)}>
          <HostPanel
            plugin={panelPlugin}
            req={req}
            initial={initial}
            series={series}
            timeRange={timeRange}
            fieldConfig={fc}
            replaceVariables={replaceVariables}
            background={theme.colors.background.primary}
          />
        </ErrorBoundary>
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

declare const __GRAFANA_VERSION__: string;

/** Which React and Grafana this page was built from (the test checks it ran the major it meant). */
const versions = { react: React.version, grafana: __GRAFANA_VERSION__ };

/** A fingerprint of what the panel shows: its DOM and the pixels of its canvases. */
function panelSignature(): string {
  const panel = document.querySelector('[data-testid="host-panel"]');
  if (!panel) return '';
  const canvases = [...panel.querySelectorAll('canvas')].map((c) => c.toDataURL());
  let h = 0x811c9dc5; // FNV-1a: a short fingerprint keeps test failures readable
  for (const ch of panel.innerHTML + canvases.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h >>> 0).toString(16);
}

/** Resolves after React has committed and the browser painted twice: an event, not a fixed wait. */
function painted(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
}

(window as unknown as Record<string, unknown>).mlmonHost = {
  render,
  color,
  versions,
  panelSignature,
  painted,
  ready: true,
};
