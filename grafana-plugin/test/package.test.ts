// Build and packaging: what `grafana cli --pluginUrl` and Grafana's plugin validator (plugincheck2)
// look at, for the checks that can run offline: archive layout, metadata, paths, logos,
// screenshots, README, CHANGELOG, module.js, checksum. (The validator's binary, signature and
// source-code checks are not run here.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PLUGIN_DIR, ensureBuilt, packagePlugin } from '../scripts/package.mjs';
import { readZip } from '../scripts/zip.mjs';
import { CATALOG_SHOTS } from './catalog-shots';

const pkg = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const ID = 'mlmon-drift-panel';
/** The externals Grafana 12.4 and 13 provide to plugins (SystemJS registry). */
const GRAFANA_PROVIDES = [
  '@emotion/css',
  '@emotion/react',
  '@grafana/data',
  '@grafana/runtime',
  '@grafana/ui',
  'lodash',
  'module',
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'rxjs',
];

describe('build, zip and what the plugin validator checks', () => {
  let entries: Array<{ name: string; data: Buffer }>;
  let zipPath: string;
  let json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = (rel: string) => entries.find((e) => e.name === `${ID}/${rel}`);
  const text = (rel: string) => file(rel)!.data.toString('utf8');

  before(() => {
    ensureBuilt();
    zipPath = packagePlugin();
    entries = readZip(readFileSync(zipPath));
    json = JSON.parse(text('plugin.json'));
  });

  it('archive: named after the id and version, one top folder named after the id, the required files', () => {
    assert.equal(basename(zipPath), `${ID}-${pkg.version}.zip`);
    assert.deepEqual([...new Set(entries.map((e) => e.name.split('/')[0]))], [ID]);
    for (const f of ['module.js', 'plugin.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) assert.ok(file(f), f);
  });

  it('checksum: a .sha1 beside the zip that matches it, in sha1sum -c format', () => {
    const sha1 = createHash('sha1').update(readFileSync(zipPath)).digest('hex');
    assert.equal(readFileSync(`${zipPath}.sha1`, 'utf8'), `${sha1}  ${basename(zipPath)}\n`);
  });

  it('metadata: id with the type suffix, version, date, author with url, description and keywords', () => {
    assert.equal(json.id, ID);
    assert.match(json.id, /^[a-z0-9]+(-[a-z0-9]+)*-panel$/);
    assert.equal(json.type, 'panel');
    assert.equal(json.info.version, pkg.version);
    assert.match(json.info.version, /^\d+\.\d+\.\d+$/);
    assert.match(json.info.updated, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(json.info.author.name);
    assert.match(json.info.author.url, /^https:\/\//);
    assert.ok(json.info.description.length >= 20);
    assert.ok(json.info.keywords.length >= 3);
    assert.ok(!JSON.stringify(json).includes('%'), 'no unreplaced placeholders');
  });

  it('links: source, documentation and issues, all https, none a placeholder', () => {
    const names = json.info.links.map((l: { name: string }) => l.name.toLowerCase()).join(' ');
    for (const kind of ['source', 'documentation', 'issues']) assert.match(names, new RegExp(kind));
    for (const l of json.info.links) {
      assert.match(l.url, /^https:\/\/[^/]+\.[a-z]+\//, l.url);
      assert.doesNotMatch(l.url, /example\.(org|com)|localhost/, l.url);
    }
  });

  it('grafanaDependency: Grafana 12.4 and later, without an upper bound that would lock out 13', () => {
    assert.equal(json.dependencies.grafanaDependency, '>=12.4.0');
  });

  it('paths: logos and screenshots are relative, present in the zip, and real SVG / PNG files', () => {
    const paths = [...Object.values(json.info.logos), ...json.info.screenshots.map((s: { path: string }) => s.path)];
    assert.ok(json.info.screenshots.length >= 1, 'screenshots listed');
    for (const p of paths as string[]) {
      assert.ok(!p.startsWith('/') && !p.startsWith('./') && !p.includes('..'), p);
      assert.ok(file(p), `${p} in the zip`);
    }
    for (const logo of Object.values(json.info.logos) as string[]) {
      const svg = text(logo);
      assert.match(svg, /<svg[\s>]/);
      assert.doesNotMatch(svg, /<script|on\w+=|javascript:/i, 'unsafe SVG');
    }
    for (const s of json.info.screenshots) {
      assert.ok(s.name, 'screenshot name');
      assert.deepEqual(
        [...file(s.path)!.data.subarray(0, 8)],
        [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
        s.path,
      );
    }
  });

  it('screenshots: the ones in plugin.json are the test suite’s shots of the real build', () => {
    const listed = json.info.screenshots.map((s: { path: string }) => basename(s.path)).sort();
    assert.deepEqual(listed, Object.values(CATALOG_SHOTS).sort());
  });

  it('README: the user page, no relative link outside the zip, no placeholder, no HTML', () => {
    const readme = text('README.md');
    assert.equal(readme, readFileSync(join(PLUGIN_DIR, 'README.md'), 'utf8'));
    for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^https:\/\//.test(target)) continue;
      assert.ok(!target.includes('..') && file(target.split('#')[0]), `relative link ${target} inside the zip`);
    }
    assert.doesNotMatch(readme, /example\.(org|com)|TODO|lorem ipsum/i);
    assert.doesNotMatch(readme, /<(div|img|a|p|br|table)\b/i, 'HTML in README');
    assert.doesNotMatch(readme, /npm run|jest|webpack/, 'developer instructions belong in DEVELOPMENT.md');
  });

  it('CHANGELOG: an entry for this version', () => {
    assert.match(text('CHANGELOG.md'), new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')}\\b`, 'm'));
  });

  it('module.js: AMD, only externals Grafana provides, no bundled React internals', () => {
    const js = text('module.js');
    const header = js.match(/define\((\[[^\]]*\])/);
    assert.ok(header, 'AMD define header');
    const deps = JSON.parse(header[1]) as string[];
    assert.ok(deps.includes('react/jsx-runtime'), 'the JSX runtime comes from Grafana');
    for (const d of deps) assert.ok(GRAFANA_PROVIDES.includes(d), `${d} is provided by Grafana`);
    assert.doesNotMatch(js, /ReactCurrentOwner|__SECRET_INTERNALS|__CLIENT_INTERNALS/, 'a bundled React');
    assert.ok(!js.includes('%VERSION%'));
  });

  it('compiles against the Grafana 12.4 line with React 18 (the oldest it claims)', () => {
    for (const name of ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema']) {
      assert.equal(pkg.dependencies[name], '12.4.10', name);
    }
    assert.match(pkg.dependencies.react, /^18\./);
  });
});
