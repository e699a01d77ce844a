declare const __GRAFANA_VERSION__: string;
// Must run before @grafana/runtime loads (imported first by host.tsx): Grafana's boot data.
const w = window as unknown as Record<string, unknown>;
w.grafanaBootData = {
  user: {
    id: 1,
    login: 'admin',
    theme: 'dark',
    lightTheme: false,
    timezone: 'utc',
    locale: 'en-US',
    language: 'en-US',
  },
  settings: {
    appSubUrl: '',
    appUrl: `${location.origin}/`,
    buildInfo: { version: __GRAFANA_VERSION__, commit: 'host', edition: 'Open Source', env: 'production' },
    featureToggles: {},
    theme2: undefined,
    bootData: {},
    datasources: {},
    panels: {},
    apps: {},
  },
  navTree: [],
  themePaths: {},
};
