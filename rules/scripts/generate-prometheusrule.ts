// Writes deploy/kubernetes/prometheusrule.yaml from the rule files:
//   node --import tsx rules/scripts/generate-prometheusrule.ts
import { writeFileSync } from 'node:fs';
import { MANIFEST, renderPrometheusRule } from './prometheusrule.ts';

writeFileSync(MANIFEST, await renderPrometheusRule());
console.log(`wrote ${MANIFEST}`);
