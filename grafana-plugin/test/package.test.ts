// Build and packaging: what `grafana cli --pluginUrl` and the plugin validator look at.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { PLUGIN_DIR, ensureBuilt, packagePlugin } from '../scripts/package.mjs';
import { readZip } from '../scripts/zip.mjs';

const pkg = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8')) as { version: string };

describe('build and zip', () => {
  let entries: Array<{ name: string; data: Buffer }>;
  let zipPath: string;
  before(() => {
    ensureBuilt();
    zipPath = packagePlugin();
    entries = readZip(readFileSync(zipPath));
  });

  it('names the zip after the plugin id and version, with one top folder named after the id', () => {
    assert.ok(zipPath.endsWith(`mlmon-drift-panel-${pkg.version}.zip`));
    const tops = new Set(entries.map((e) => e.name.split('/')[0]));
    assert.deepEqual([...tops], ['mlmon-drift-panel']);
    const names = entries.map((e) => e.name);
    for (const f of ['module.js', 'plugin.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'img/logo.svg']) {
      assert.ok(names.includes(`mlmon-drift-panel/${f}`), `missing ${f}`);
    }
  });

  it('ships a plugin.json with the real version, the id, and only the Grafana versions it is built for', () => {
    const json = JSON.parse(entries.find((e) => e.name === 'mlmon-drift-panel/plugin.json')!.data.toString());
    assert.equal(json.id, 'mlmon-drift-panel');
    assert.equal(json.type, 'panel');
    assert.equal(json.info.version, pkg.version);
    assert.match(json.info.updated, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(json.dependencies.grafanaDependency, '>=12.4.0 <13.0.0');
    for (const logo of Object.values(json.info.logos) as string[]) {
      assert.ok(
        entries.some((e) => e.name === `mlmon-drift-panel/${logo}`),
        `logo ${logo} in the zip`,
      );
    }
    assert.ok(!JSON.stringify(json).includes('%'), 'no unreplaced placeholders');
  });

  it('builds an AMD module.js whose externals are what Grafana provides', () => {
    const js = entries.find((e) => e.name === 'mlmon-drift-panel/module.js')!.data.toString();
    const header = js.match(/define\((\[[^\]]*\])/);
    assert.ok(header, 'AMD define header');
    const deps = JSON.parse(header[1]) as string[];
    assert.deepEqual(deps.sort(), ['@emotion/css', '@grafana/data', '@grafana/ui', 'module', 'react']);
    assert.ok(!js.includes('%VERSION%'));
  });

  it('keeps the package versions pinned to the Grafana 12.4.10 line with React 18', () => {
    const p = JSON.parse(readFileSync(join(PLUGIN_DIR, 'package.json'), 'utf8'));
    for (const name of ['@grafana/data', '@grafana/ui', '@grafana/runtime', '@grafana/schema']) {
      assert.equal(p.dependencies[name], '12.4.10', name);
    }
    assert.match(p.dependencies.react, /^18\./);
  });
});
