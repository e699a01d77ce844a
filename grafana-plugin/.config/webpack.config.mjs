// Webpack config in the layout of @grafana/create-plugin (its .config/webpack/webpack.config.ts),
// written for this plugin: AMD output, Grafana's shared packages as externals, plugin.json with
// the package version, static files copied into dist/.
import CopyWebpackPlugin from 'copy-webpack-plugin';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const pluginJson = JSON.parse(readFileSync(resolve(ROOT, 'src/plugin.json'), 'utf8'));

/** What Grafana provides to plugins at runtime (SystemJS registry); never bundled. */
export const EXTERNALS = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  // Grafana 12.2.5+ provides the JSX runtimes: bundling React 18's would break on Grafana 13's
  // React 19 (it reads internals React 19 removed), and React 19's on Grafana 12.
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'react-router',
  'react-router-dom',
  'd3',
  'angular',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/data',
];

export function stampPluginJson(content, today = new Date().toISOString().slice(0, 10)) {
  return content.toString().replace('%VERSION%', pkg.version).replace('%TODAY%', today);
}

export default (env = {}) => ({
  context: resolve(ROOT, 'src'),
  mode: env.production ? 'production' : 'development',
  devtool: env.production ? 'source-map' : 'eval-source-map',
  entry: { module: './module.ts' },
  externals: [
    ...EXTERNALS,
    // The AMD `module` object Grafana passes: its `uri` gives the public path (see publicPath.ts).
    { 'amd-module': 'module' },
    ({ request }, callback) => {
      const prefix = 'grafana/';
      if (request?.startsWith(prefix)) return callback(undefined, request.slice(prefix.length));
      callback();
    },
  ],
  module: {
    rules: [
      {
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: {
              baseUrl: resolve(ROOT, 'src'),
              target: 'es2018',
              loose: false,
              parser: { syntax: 'typescript', tsx: true, decorators: false, dynamicImport: true },
              transform: { react: { runtime: 'automatic' } },
            },
          },
        },
      },
      { test: /\.(png|jpe?g|gif|svg)$/, type: 'asset/resource', generator: { filename: 'img/[hash][ext]' } },
    ],
  },
  output: {
    clean: true,
    filename: '[name].js',
    library: { type: 'amd' },
    path: resolve(ROOT, 'dist'),
    publicPath: `public/plugins/${pluginJson.id}/`,
    uniqueName: pluginJson.id,
  },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx'], modules: [resolve(ROOT, 'src'), 'node_modules'] },
  plugins: [
    new CopyWebpackPlugin({
      patterns: [
        { from: 'plugin.json', to: '.', transform: (content) => stampPluginJson(content) },
        { from: '../README.md', to: '.' },
        { from: '../CHANGELOG.md', to: '.' },
        { from: '../LICENSE', to: '.' },
        { from: 'img/**/*', to: '.', noErrorOnMissing: true },
      ],
    }),
  ],
  performance: { hints: false },
  stats: env.production ? 'errors-warnings' : 'minimal',
});
