// The `probe` source kind (README.md in sources/).
import { defineSourceKind } from '../kind.ts';
import { probeSourceSchema } from './probe-config.ts';
import { ProbeSource } from './probe.ts';

export const probeKind = defineSourceKind({
  type: 'probe',
  schema: probeSourceSchema,
  resolvePaths: (config, local) => {
    if (config.payloads_file) config.payloads_file = local(config.payloads_file);
    if (config.golden) config.golden.path = local(config.golden.path);
  },
  create: (config, context) => new ProbeSource(config, context),
});
