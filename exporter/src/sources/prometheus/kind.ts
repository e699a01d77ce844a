// The `prometheus` source kind (README.md in sources/).
import { defineSourceKind } from '../kind.ts';
import { prometheusSourceSchema } from './prometheus-config.ts';
import { PrometheusSource } from './prometheus.ts';

export const prometheusKind = defineSourceKind({
  type: 'prometheus',
  schema: prometheusSourceSchema,
  create: (config, context) => new PrometheusSource(config, context),
});
