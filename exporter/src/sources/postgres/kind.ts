// The `postgres` source kind (README.md in sources/).
import { defineSourceKind } from '../kind.ts';
import { postgresSourceSchema } from './postgres-config.ts';
import { PostgresSource } from './postgres.ts';

export const postgresKind = defineSourceKind({
  type: 'postgres',
  schema: postgresSourceSchema,
  resolvePaths: (config, local) => {
    const connection = config.connection;
    if (connection.password_file) connection.password_file = local(connection.password_file);
    if (connection.ssl_ca_file) connection.ssl_ca_file = local(connection.ssl_ca_file);
  },
  create: (config, context) => new PostgresSource(config, context),
});
