// Grafana loads module.js through SystemJS/AMD and passes a `module` object whose `uri` is the
// file's URL: derive webpack's public path from it, as @grafana/create-plugin's template does.
import amdMetaModule from 'amd-module';

declare let __webpack_public_path__: string;

// eslint-disable-next-line prefer-const -- assigned for webpack, read by its runtime
__webpack_public_path__ =
  amdMetaModule && amdMetaModule.uri
    ? amdMetaModule.uri.slice(0, amdMetaModule.uri.lastIndexOf('/') + 1)
    : 'public/plugins/mlmon-drift-panel/';
